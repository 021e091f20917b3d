/**
 * The curation panel's stylesheet, inlined into its HTML under the CSP nonce (the package ships only
 * `dist/*.js`, so no separate file). It follows the editor's theme through VS Code's CSS variables only.
 */
export const CURATION_CSS = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 16px 24px; }
h1 { font-size: 1.4em; margin: .6em 0 .2em; }
h2 { font-size: 1.1em; margin: 1em 0 .4em; border-bottom: 1px solid var(--vscode-panel-border); padding-bottom: .2em; }
h3 { font-size: 1em; margin: .8em 0 .3em; }
.meta, .status, .hint { color: var(--vscode-descriptionForeground); }
.hint { font-size: .9em; }
.error { color: var(--vscode-errorForeground); background: var(--vscode-inputValidation-errorBackground); border: 1px solid var(--vscode-inputValidation-errorBorder); padding: 6px 8px; }
.warning { background: var(--vscode-inputValidation-warningBackground); border: 1px solid var(--vscode-inputValidation-warningBorder); padding: 6px 8px; }
.layout { display: grid; grid-template-columns: minmax(280px, 340px) 1fr; gap: 20px; align-items: start; }
.controls fieldset { min-width: 0; border: 1px solid var(--vscode-panel-border); border-radius: 4px; margin: 0 0 10px; padding: 6px 10px 10px; }
.controls legend { font-weight: 600; padding: 0 4px; }
.field { display: flex; flex-direction: column; gap: 2px; margin: 6px 0; }
.field > label { color: var(--vscode-descriptionForeground); }
.field.row { flex-direction: row; align-items: center; gap: 8px; }
.field.invalid vscode-textfield { outline: 1px solid var(--vscode-inputValidation-errorBorder); }
.field .why { color: var(--vscode-errorForeground); font-size: .9em; }
vscode-textfield, vscode-single-select { width: 100%; box-sizing: border-box; }
.buttons { display: flex; gap: 6px; margin-top: 8px; flex-wrap: wrap; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid var(--vscode-panel-border); padding: 2px 8px; text-align: right; }
th:first-child, td:first-child, td.desc { text-align: left; }
td.desc { color: var(--vscode-descriptionForeground); font-size: .9em; }
tr.active td.removed { color: var(--vscode-errorForeground); font-weight: 600; }
.summary { display: flex; gap: 18px; flex-wrap: wrap; margin: 8px 0; }
.summary .figure { display: flex; flex-direction: column; }
.summary .figure strong { font-size: 1.4em; }
.stale { opacity: .6; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; margin: 8px 0 16px; }
.pair > div { min-width: 0; }
.prompt, .completion, .row-json { font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); white-space: pre-wrap; word-break: break-word; background: var(--vscode-textCodeBlock-background); padding: 6px; margin: 0; }
.prompt .role { color: var(--vscode-textLink-foreground); font-weight: 600; }
.changed { border-left: 3px solid var(--vscode-gitDecoration-modifiedResourceForeground); }
.sample-head { display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; margin-top: 10px; }
.files li { margin: 2px 0; }
a.file { color: var(--vscode-textLink-foreground); cursor: pointer; text-decoration: underline; }
vscode-progress-bar { width: 100%; }
`;
