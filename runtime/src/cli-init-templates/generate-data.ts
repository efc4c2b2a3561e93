// The data generator `plumb init` writes and runs once for the first days of input. Deterministic:
// the first run of every new project gives the same report.

const PRODUCTS = [
  ['kettle', 34.5],
  ['teapot', 22],
  ['mug', 8.25],
  ['tea-tin', 12.9],
  ['strainer', 6.4],
] as const;

/** Plain JavaScript, so it runs with `node` before anything is installed. */
export const generateDataMjs = `// Writes daily order files into input/ (the pipeline's external input).
// Usage: node generate-data.mjs [first-day] [days]     e.g. node generate-data.mjs 2026-11-08 7
import { mkdirSync, writeFileSync } from 'node:fs';

const PRODUCTS = ${JSON.stringify(PRODUCTS)};

function ordersCsv(date, orders = 40) {
  let seed = [...date].reduce((s, c) => (Math.imul(s, 31) + c.charCodeAt(0)) >>> 0, 7);
  const next = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const lines = ['order,product,quantity,price'];
  for (let i = 1; i <= orders; i++) {
    const [product, price] = PRODUCTS[Math.floor(next() ** 2 * PRODUCTS.length)];
    lines.push(\`\${date}-\${i},\${product},\${1 + Math.floor(next() * 4)},\${price}\`);
  }
  return \`\${lines.join('\\n')}\\n\`;
}

const [first = '2026-11-01', days = '7'] = process.argv.slice(2);
const input = new URL('./input/', import.meta.url);
mkdirSync(input, { recursive: true });
for (let d = 0; d < Number(days); d++) {
  const date = new Date(Date.parse(\`\${first}T00:00:00Z\`) + d * 86_400_000).toISOString().slice(0, 10);
  writeFileSync(new URL(\`orders_\${date}.csv\`, input), ordersCsv(date));
}
console.log(\`wrote \${days} days of orders from \${first} into input/\`);
`;
