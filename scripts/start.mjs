// `npm start`: the built API (serving the web app under /app/) and one worker, as two processes, on
// $PORT (default 3000). It loads no data (`npm run demo` does). Ctrl-C or SIGTERM stops both; when
// either process exits, the other is stopped and `npm start` exits with its code.
import { spawn } from 'node:child_process';

const children = [
  ['api', 'dist/apps/api/src/main.js'],
  ['worker', 'dist/apps/worker/src/main.js'],
].map(([name, file]) => {
  const child = spawn(process.execPath, [file], { stdio: 'inherit', env: process.env });
  child.name = name;
  return child;
});

let stopping = false;
function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 10_000).unref();
  Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once('exit', r))))).then(() =>
    process.exit(code),
  );
}
for (const child of children)
  child.once('exit', (code, signal) => {
    if (!stopping) console.error(`${child.name} exited (${signal ?? code}); stopping the other process`);
    stopAll(code ?? 1);
  });
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));
console.log(`RBM Tracker: API and worker starting; open http://localhost:${process.env.PORT ?? 3000}/app/`);
