// Prints, as JSON, what doiuse-email (caniemail.com data) reports for an e-mail's HTML file:
// node doiuse_email.mjs <file.html> <client pattern>...
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const entry = join(root, 'node_modules', 'doiuse-email', 'index.js');
const { doIUseEmail } = await import(pathToFileURL(entry).href);
const [file, ...clients] = process.argv.slice(2);
const result = doIUseEmail(readFileSync(file, 'utf8'), { emailClients: clients });
console.log(JSON.stringify({ success: result.success, errors: result.errors ?? [] }));
