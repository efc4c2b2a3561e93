// Preloaded into a CLI process (NODE_OPTIONS=--require): at exit, prints which Node built-ins the
// process loaded, as `@@builtins a,b,c` on stderr.
process.on('exit', () => {
  const names = process.moduleLoadList
    .filter((m) => m.startsWith('NativeModule '))
    .map((m) => m.slice('NativeModule '.length));
  process.stderr.write(`@@builtins ${names.join(',')}\n`);
});
