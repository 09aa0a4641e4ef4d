// Reads {"schema": {labels, relationshipTypes, propertyKeys}, "statements": [{name, text}]} on stdin;
// writes [{name, diagnostics: [{severity, message, offsets}]}] on stdout.
// Neo4j 5's built-in functions and procedures come with the package (the signatures its own
// editor tooling is tested with), so calls to unknown functions are flagged.
import { isNotParamError, lintCypherQuery, testData } from '@neo4j-cypher/language-support';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const builtin = testData.mockSchema;
const dbSchema = {
  functions: builtin.functions,
  procedures: builtin.procedures,
  labels: input.schema.labels,
  relationshipTypes: input.schema.relationshipTypes,
  propertyKeys: input.schema.propertyKeys,
};
const results = input.statements.map(({ name, text }) => ({
  name,
  // Parameters are supplied at run time, so "parameter not defined" is no finding.
  diagnostics: lintCypherQuery(text, dbSchema).diagnostics.filter(isNotParamError).map(d => ({
    severity: d.severity, message: d.message, offsets: d.offsets,
  })),
}));
process.stdout.write(JSON.stringify(results));
