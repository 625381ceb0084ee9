// Mocha runs the TypeScript sources through tsx (both require and import hooks).

// Mocha adds files named on the command line to `spec` instead of replacing it, so
// `npx mocha test/db.test.ts` would run everything; name files to run only those.
const namedOnCommandLine = process.argv.slice(2).some((arg) => !arg.startsWith('-') && /\.(test|spec)\.ts$|\*/.test(arg));

module.exports = {
  'node-option': ['import=tsx'],
  extension: ['ts'],
  spec: namedOnCommandLine ? [] : ['test/**/*.test.ts', 'src/**/*.spec.ts'],
  // The root hooks that stop the shared database server after the run.
  require: ['./test/support/database.ts'],
  // The first run builds FerretDB (about a minute) before the first test that needs a database.
  timeout: 180_000,
  exit: true,
  reporter: './test/support/reporter.cjs',
};
