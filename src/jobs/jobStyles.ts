/**
 * The job panel's stylesheet, inlined into its HTML under the CSP nonce. It follows the editor's theme
 * through VS Code's CSS variables only.
 */
export const JOB_CSS = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 16px 24px; }
h1 { font-size: 1.4em; margin: .6em 0 .2em; }
h2 { font-size: 1.1em; margin: 1em 0 .4em; border-bottom: 1px solid var(--vscode-panel-border); padding-bottom: .2em; }
header { position: relative; }
header .actions { position: absolute; right: 0; top: .4em; display: flex; gap: 6px; }
.meta, .status { color: var(--vscode-descriptionForeground); }
.state { font-weight: 600; text-transform: uppercase; font-size: .85em; padding: 1px 6px; border-radius: 3px; border: 1px solid var(--vscode-panel-border); }
.state-running { color: var(--vscode-progressBar-background); }
.state-succeeded { color: var(--vscode-testing-iconPassed); }
.state-failed { color: var(--vscode-testing-iconFailed); }
.state-interrupted { color: var(--vscode-list-warningForeground); }
button { font: inherit; color: var(--vscode-button-foreground); background: var(--vscode-button-background); border: none; padding: 4px 12px; border-radius: 2px; cursor: pointer; }
button:hover { background: var(--vscode-button-hoverBackground); }
.error { color: var(--vscode-errorForeground); background: var(--vscode-inputValidation-errorBackground); border: 1px solid var(--vscode-inputValidation-errorBorder); padding: 6px 10px; margin: 8px 0; }
.error p { margin: .4em 0; color: var(--vscode-foreground); }
.warning { background: var(--vscode-inputValidation-warningBackground); border: 1px solid var(--vscode-inputValidation-warningBorder); padding: 6px 10px; }
code { font-family: var(--vscode-editor-font-family); background: var(--vscode-textCodeBlock-background); padding: 1px 4px; }
.progress { position: relative; height: 18px; background: var(--vscode-input-background); border: 1px solid var(--vscode-panel-border); margin: 8px 0; }
.progress .bar { position: absolute; inset: 0 auto 0 0; background: var(--vscode-progressBar-background); opacity: .35; }
.progress span { position: relative; padding-left: 6px; font-size: .9em; }
.steps { display: flex; flex-wrap: wrap; gap: 8px 28px; list-style: none; padding: 0; margin: 8px 0; }
.steps li { border-left: 3px solid var(--vscode-panel-border); padding-left: 8px; }
.steps li.state-succeeded { border-color: var(--vscode-testing-iconPassed); }
.steps li.state-running { border-color: var(--vscode-progressBar-background); }
.steps li.state-failed { border-color: var(--vscode-testing-iconFailed); }
.steps .step { font-weight: 600; color: var(--vscode-foreground); }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 16px; margin-top: 12px; }
.chart { margin: 0; border: 1px solid var(--vscode-panel-border); border-radius: 4px; padding: 6px 8px; }
.chart figcaption { font-weight: 600; margin-bottom: 4px; }
.chart svg { width: 100%; height: auto; display: block; }
.chart .plot { fill: none; stroke: var(--vscode-panel-border); }
.chart .line { fill: none; stroke: var(--vscode-charts-blue, #3794ff); stroke-width: 2; vector-effect: non-scaling-stroke; }
.chart .dot { fill: var(--vscode-charts-blue, #3794ff); }
.chart .tick { fill: var(--vscode-descriptionForeground); font-size: 11px; }
.metrics { display: grid; grid-template-columns: max-content auto; gap: 2px 14px; margin: 12px 0; }
.metrics dt { color: var(--vscode-descriptionForeground); }
.metrics dd { margin: 0; font-variant-numeric: tabular-nums; }
.artifacts { padding-left: 1.2em; }
.artifacts .kind { font-weight: 600; }
.eval-table { border-collapse: collapse; margin: 8px 0; font-variant-numeric: tabular-nums; }
.eval-table th, .eval-table td { border: 1px solid var(--vscode-panel-border); padding: 3px 10px; text-align: left; }
.eval-table .better { color: var(--vscode-testing-iconPassed); font-weight: 600; }
.eval-note { opacity: 0.85; margin: 4px 0; }
.eval-table .worse { color: var(--vscode-testing-iconFailed); font-weight: 600; }
.eval-charts { display: flex; flex-wrap: wrap; gap: 12px; margin: 8px 0; }
.eval-chart { border-radius: 4px; max-width: 100%; }
a.file { color: var(--vscode-textLink-foreground); word-break: break-all; }
.log { font-family: var(--vscode-editor-font-family); font-size: .9em; max-height: 320px; overflow: auto; background: var(--vscode-textCodeBlock-background); padding: 8px; white-space: pre-wrap; }
.log .level-error { color: var(--vscode-errorForeground); }
.log .level-warn { color: var(--vscode-list-warningForeground); }
`;
