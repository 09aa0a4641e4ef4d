// GraphiQL with the explorer plugin, asking this server's /graphql. The query and variables stay in
// the URL (?q=…&variables=… — "query" would make GET /graphql run it) so that a link shares them.
const parameters = new URLSearchParams(window.location.search);
const EXAMPLE = `# The GraphQL API of kpss-graph: Ctrl-Enter runs the query, Ctrl-Space completes.
{
  programmes { code name }
}
`;

function remember(name, value) {
  if (value) parameters.set(name, value); else parameters.delete(name);
  history.replaceState(null, "", "?" + parameters.toString());
}

const fetcher = GraphiQL.createFetcher({ url: window.location.origin + "/graphql" });
const explorer = GraphiQLPluginExplorer.explorerPlugin();

function Explorer() {
  return React.createElement(GraphiQL, {
    fetcher,
    plugins: [explorer],
    defaultEditorToolsVisibility: true,
    query: parameters.get("q") || EXAMPLE,
    variables: parameters.get("variables") || undefined,
    onEditQuery: (query) => remember("q", query),
    onEditVariables: (variables) => remember("variables", variables),
    inputValueDeprecation: true,
  });
}

ReactDOM.createRoot(document.getElementById("graphiql")).render(React.createElement(Explorer));
