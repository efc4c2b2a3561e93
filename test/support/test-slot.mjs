// Preloaded into every test file's process by scripts/run-tests.mjs: waits until the run's scheduler
// lets this file start (end-to-end files alone, the others beside each other), then holds the slot
// on an open socket, which the kernel closes however the process ends: a crashed file never holds it.
import net from 'node:net';

const address = process.env.PLUMB_TEST_SLOTS;
// Processes a test starts copy its environment: they must not queue for a slot of their own.
delete process.env.PLUMB_TEST_SLOTS;
const file = process.argv[1];

if (address && file) {
  await new Promise((resolve, reject) => {
    const socket = net.connect(address);
    socket.once('error', reject);
    socket.once('data', () => {
      socket.removeListener('error', reject);
      // The runner gone (it ended the run) is no error of this file's.
      socket.on('error', () => undefined);
      // Held open, not waited on: the file's process ends when its tests do.
      socket.unref();
      resolve();
    });
    socket.write(`${JSON.stringify({ file, pid: process.pid })}\n`);
  });
}
