// Helpers for the scenario scripts. Each returns what script can observe about one request:
// { ok: true, status, body, headers } where headers holds only the response headers CORS lets script read,
// or { ok: false, error } when the browser refused to hand over the response.
// Both also carry `request`: what the browser was asked to send, from which origin, so that the tests can have
// `corskit check` send the same request and compare its verdict with the browser's.

// The API server's port comes from the page URL (?api=PORT), or from the embedding page inside a sandboxed frame.
const apiPort = self.corsKitApiPort ?? new URLSearchParams(location.search).get('api');

// A cross-site origin of the API server (every *.localhost name is its own site in Chromium).
const API = `http://api.localhost:${apiPort}`;
// Same site as the app page (same host, other port) but a different origin: the setup where cookies flow.
const SAME_SITE_API = `http://app.localhost:${apiPort}`;

// The request as fetch() builds it: URL resolved, method normalized, headers as the browser keeps them (repeated
// names joined, Content-Type from the body), credentials mode; and the page's origin ('null' in a sandbox).
function describeFetch(url, init) {
  const r = new Request(url, init);
  const body = typeof init?.body === 'string' ? init.body
    : init?.body instanceof URLSearchParams ? init.body.toString() : null;
  // Names as script spelled them (Request lower-cases them; WebKit's console names a header as script spelled it).
  const spelled = Object.keys(init?.headers instanceof Headers || Array.isArray(init?.headers) ? {} : init?.headers ?? {});
  const headers = [...r.headers].map(([name, value]) => [spelled.find((s) => s.toLowerCase() === name) ?? name, value]);
  return { kind: 'fetch', origin: self.origin, url: r.url, method: r.method, headers, credentials: r.credentials === 'include', body };
}

async function send(url, init) {
  const request = describeFetch(url, init);
  try {
    const response = await fetch(url, init);
    const body = await response.text();
    return { ok: true, status: response.status, body, headers: Object.fromEntries(response.headers), request };
  } catch (error) {
    return { ok: false, error: `${error.name}: ${error.message}`, request };
  }
}

function sendXhr(url, { method = 'GET', headers = {}, body = null, withCredentials = false } = {}) {
  const request = {
    kind: 'xhr', origin: self.origin, url: new URL(url, location.href).href, method, headers: Object.entries(headers), credentials: withCredentials, body,
  };
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    xhr.withCredentials = withCredentials;
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.onload = () => resolve({
      ok: true,
      status: xhr.status,
      body: xhr.responseText,
      headers: Object.fromEntries(xhr.getAllResponseHeaders().trim().split(/\r\n/).filter((line) => line)
        .map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()])),
      request,
    });
    xhr.onerror = () => resolve({ ok: false, error: `XMLHttpRequest error event, status ${xhr.status}`, request });
    xhr.send(body);
  });
}

// Runs an async function body inside a sandboxed iframe. Its origin is opaque, so its requests carry Origin: null.
function inSandbox(functionBody) {
  return new Promise((resolve) => {
    const frame = document.createElement('iframe');
    frame.sandbox = 'allow-scripts';
    window.addEventListener('message', function onMessage(event) {
      if (event.source !== frame.contentWindow) return;
      window.removeEventListener('message', onMessage);
      // The frame stays: Chromium logs the CORS error to the frame's console after the promise settles.
      resolve(event.data);
    });
    frame.srcdoc = `<script>self.corsKitApiPort = ${JSON.stringify(apiPort)};</script>`
      + `<script src="${location.origin}/harness.js"></script>`
      + `<script>(async () => { ${functionBody} })().then((result) => parent.postMessage(result, '*'));</script>`;
    document.body.append(frame);
  });
}
