/**
 * The layering `npm run lint` checks (dependency-cruiser): no import cycles; the VS Code client (src/)
 * and the webviews (webview/) share only the contract with the server, never its implementation; the
 * language server and the CLI reach the store through the service layer.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: move what both modules need into the module it belongs to.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'client-imports-no-server',
      severity: 'error',
      comment: "The client imports its own code, the webviews' messages and contract/, never server implementation.",
      from: { path: '^src/' },
      to: { path: '^(server|test)/' },
    },
    {
      name: 'webview-imports-no-server',
      severity: 'error',
      comment: "A webview imports only its own code and contract/: server code would pull Node's modules into the browser bundle.",
      from: { path: '^webview/' },
      to: { path: '^(server|src|test)/' },
    },
    {
      name: 'contract-stands-alone',
      severity: 'error',
      comment: 'contract/ is what client, webviews and server share: it imports none of them.',
      from: { path: '^contract/' },
      to: { path: '^(server|src|webview|test)/' },
    },
    {
      name: 'adapters-reach-store-through-service',
      severity: 'error',
      comment: 'lsp/ and cli/ translate requests and arguments into service calls; the store and its SQL belong to server/src/service/.',
      from: { path: '^server/src/(lsp|cli)/' },
      to: { path: '^server/src/store/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to no file or package.',
      from: {},
      to: { couldNotResolve: true, pathNot: '^vscode$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|out|dist|media|test/fixtures|test/bench/data)/' },
    includeOnly: '^(server|src|webview|test|contract)/',
    // TypeScript 7's package has no compiler API for dependency-cruiser; swc parses the TypeScript.
    parser: 'swc',
    // type-only imports count: a cycle through types is still two modules that know each other
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.cjs', '.json', '.node'] },
    moduleSystems: ['es6', 'cjs'],
    reporterOptions: { text: { highlightFocused: true } },
  },
};
