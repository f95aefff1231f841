/**
 * The platform's names as the rules see them: `known-names.json`, generated from shared/, the job-worker registry,
 * forms/ and docs/processes.md by `generate-known-names.mts` (a JSON file, so Camunda Modeler can bundle it).
 */
module.exports = require('../known-names.json');
