// Records what Chromium does with each scenario of scenarios.json, into the scenario's "chromium" field.
// The C# tests (ChromiumAgreementTests) replay the same responses to the check engine and expect these verdicts.
//
// Run it when Chromium changes (needs Debian's chromium and `npm install playwright-core` here; not run in CI):
//   node record-chromium.mjs            record into scenarios.json
//   SERVE_ONLY=1 node record-chromium.mjs   only serve the scenarios, to point `corskit check` at them
// It serves the scenarios from http://127.0.0.1:5291/s/<name> and fetches them from a page at http://127.0.0.1:5292.
import http from 'node:http';
import fs from 'node:fs';
import { chromium } from 'playwright-core';

const file = new URL('./scenarios.json', import.meta.url);
const scenarios = JSON.parse(fs.readFileSync(file, 'utf8'));
const API = 'http://127.0.0.1:5291', PAGE = 'http://127.0.0.1:5292';
const seen = {};
const fill = (value, name) => value
  .replaceAll('{origin}', PAGE)
  .replaceAll('{next-localhost}', `http://localhost:5291/s/${name}/next`)
  .replaceAll('{next}', `${API}/s/${name}/next`);

const api = http.createServer((req, res) => {
  const match = req.url.match(/^\/s\/([^/?]+)(\/next)?/);
  const scenario = match && scenarios.find((s) => s.name === match[1]);
  if (!scenario) { res.writeHead(404); res.end(); return; }
  const next = !!match[2];
  (seen[scenario.name] ??= []).push({ method: req.method, next, headers: req.rawHeaders });
  const answer = req.method === 'OPTIONS'
    ? ((next ? scenario.nextPreflight : scenario.preflight) ?? { status: 500, headers: [] })
    : (next ? scenario.next : scenario.actual);
  const flat = [];
  for (const [name, value] of answer.headers) flat.push(name, fill(value, scenario.name));
  res.writeHead(answer.status, flat);
  res.end(answer.status === 204 ? undefined : 'body');
});
const page = http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end('<!doctype html><title>page</title>'); });
await new Promise((resolve) => api.listen(5291, '127.0.0.1', resolve));
await new Promise((resolve) => page.listen(5292, '127.0.0.1', resolve));
if (process.env.SERVE_ONLY) { console.log(`serving ${scenarios.length} scenarios on ${API}/s/<name>`); await new Promise(() => {}); }

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const version = browser.version();
const tab = await browser.newPage();
const messages = [];
tab.on('console', (msg) => { if (msg.text().includes('CORS policy')) messages.push(msg.text()); });
await tab.goto(`${PAGE}/`);

const header = (raw, name) => { const i = raw.findIndex((h, k) => k % 2 === 0 && h.toLowerCase() === name); return i < 0 ? null : raw[i + 1]; };
for (const scenario of scenarios) {
  const url = `${API}/s/${scenario.name}`;
  const outcome = await tab.evaluate(async ({ url, request }) => {
    const headers = new Headers();
    for (const [name, value] of request.headers ?? []) headers.append(name, value);
    try {
      const response = await fetch(url, { method: request.method, headers, credentials: request.credentials ? 'include' : 'same-origin' });
      return { allowed: true, status: response.status, readable: [...response.headers.keys()] };
    } catch { return { allowed: false, status: null, readable: null }; }
  }, { url, request: scenario.request });
  await new Promise((resolve) => setTimeout(resolve, 150));
  const requests = seen[scenario.name] ?? [];
  const preflight = requests.find((r) => r.method === 'OPTIONS');
  scenario.chromium = {
    allowed: outcome.allowed,
    preflight: !!preflight,
    requestHeaders: preflight ? header(preflight.headers, 'access-control-request-headers') : null,
    message: messages.find((m) => m.includes(`'${url}`) || m.includes(`(redirected from '${url}')`)) ?? null,
    status: outcome.status,
    readable: outcome.readable,
    requests: requests.map((r) => ({ method: r.method, next: r.next, origin: header(r.headers, 'origin') })),
  };
}
await browser.close();
api.close();
page.close();
fs.writeFileSync(file, JSON.stringify({ chromium: version, recorded: new Date().toISOString().slice(0, 10), scenarios }, null, 1) + '\n');
console.log(`recorded ${scenarios.length} scenarios with Chromium ${version}`);
