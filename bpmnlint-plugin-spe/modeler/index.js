/**
 * A Camunda Desktop Modeler plugin: copy (or link) this folder to `resources/plugins/spe-diagram-contracts/` in
 * the Modeler's user data directory after building `client.js` (`npx tsx bpmnlint-plugin-spe/modeler/build.mts`).
 * Modeler then reports the spe rules in its problems panel while you edit (docs/processes.md, "Editing in Modeler").
 */
module.exports = {
  name: 'SPE diagram contracts',
  script: './client.js',
};
