/* The maatjes service worker: the app shell and the volunteer's own contact forms offline.
 *
 * Served at /sw.js (scope "/") by a Flask route. What it keeps, in Cache Storage:
 *
 * - "shell": the CSS, JS and icons the pages use (/static/ and /bootstrap/). Fingerprinted
 *   URLs never change, so they are served from the cache first; the page sends the worker the
 *   list of its own asset URLs, so they are kept from the first visit on.
 * - "pages-u<user id>": a copy of the volunteer's home (/me) and of each contact form
 *   (/matches/<id>/contacts/new) the volunteer opened online, served only when the network
 *   fails. Nothing else personal: no resident or match pages.
 *
 * Pages are sent with Cache-Control: no-store, and the browser's HTTP cache keeps none of them.
 * The copies here are a deliberate, narrow exception: they hold the volunteer's own residents'
 * first names and the forms, and nothing the volunteer does not see on the home anyway. The
 * home's last names, phone numbers, messages and meeting actions are cut out of the copy
 * (the templates mark them with <!--offline-drop--> ... <!--/offline-drop-->, and what only
 * the copy shows, the first names, with <!--offline-copy:...-->). The copies are
 * kept per user: a page of another user removes the first user's copies, and logging out wipes
 * every cache (offline.js, plus the Clear-Site-Data header of the logout answer).
 */

"use strict";

const SHELL = "shell-v1";
const PAGES = "pages-u"; // + the user id, taken from <body data-user="..."> of the page
const KEPT_PAGES = [/^\/me$/, /^\/matches\/\d+\/contacts\/new$/];
const CONTACT_FORM = /^\/matches\/\d+\/contacts\/new$/;
// A fingerprinted file name or query (app.3f2a9c1b.css, app-3f2a9c1b...css, ?v=3f2a9c1b).
const FINGERPRINT = /[.\-_][0-9a-f]{8,}\.|[?&]v=/i;

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((key) => key.startsWith("shell") && key !== SHELL)
            .map((key) => caches.delete(key)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

// The page sends the URLs of its CSS, JS and icons: keep those not kept yet.
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "assets" && Array.isArray(data.urls)) {
    event.waitUntil(keepAssets(data.urls));
  }
});

async function keepAssets(urls) {
  const cache = await caches.open(SHELL);
  for (const url of urls) {
    const address = new URL(url, self.location.origin);
    if (address.origin !== self.location.origin || !isAsset(address)) continue;
    if (await cache.match(address.href)) continue;
    try {
      const response = await fetch(address.href);
      if (response.ok) await cache.put(address.href, response);
    } catch (error) {
      // Offline: kept at the next visit.
    }
  }
}

function isAsset(url) {
  return url.pathname.startsWith("/static/") || url.pathname.startsWith("/bootstrap/");
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  // A contact form posted while the connection is gone: offline.js has already put the contact
  // in the queue on this phone before posting, so the home says so instead of an error page.
  if (request.method === "POST" && request.mode === "navigate" && CONTACT_FORM.test(url.pathname)) {
    event.respondWith(
      fetch(request).catch(() => Response.redirect("/me#saved-offline", 303)),
    );
    return;
  }
  if (request.method !== "GET") return;

  if (isAsset(url)) {
    const fingerprinted = FINGERPRINT.test(url.pathname + url.search);
    event.respondWith(fingerprinted ? cacheFirst(request) : networkFirst(request));
  } else if (request.mode === "navigate" && KEPT_PAGES.some((page) => page.test(url.pathname))) {
    event.respondWith(page(request, event));
  } else if (request.mode === "navigate" && url.pathname === "/") {
    // The installed app starts at "/" (it leads each role to its own home); offline, a
    // volunteer's phone opens the kept copy of their home instead.
    event.respondWith(
      fetch(request).catch(async (error) => {
        const home = await keptPage(new URL("/me", url).href);
        if (home) return home;
        throw error;
      }),
    );
  }
});

async function cacheFirst(request) {
  const cache = await caches.open(SHELL);
  const kept = await cache.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

// Files without a fingerprint (a development server): the network first, the copy offline.
async function networkFirst(request) {
  const cache = await caches.open(SHELL);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const kept = await cache.match(request);
    if (kept) return kept;
    throw error;
  }
}

// The home and the contact forms: always the network first; the kept copy only offline.
async function page(request, event) {
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic" && !response.redirected) {
      event.waitUntil(keepPage(request.url, response.clone()));
    }
    return response;
  } catch (error) {
    const kept = await keptPage(request.url);
    if (kept) return kept;
    throw error;
  }
}

async function keepPage(url, response) {
  if (!(response.headers.get("Content-Type") || "").startsWith("text/html")) return;
  let html = await response.text();
  const user = /<body[^>]*\sdata-user="(\d+)"/.exec(html);
  if (!user) return; // not logged in: nothing to keep
  if (!/<body[^>]*\sdata-role="volunteer"/.test(html)) return; // only a volunteer's pages
  const name = PAGES + user[1];
  html = html
    .replace(/<!--offline-drop-->[\s\S]*?<!--\/offline-drop-->/g, "")
    .replace(/<!--offline-copy:([\s\S]*?)-->/g, "$1")
    .replace(/<body\b/, `<body data-offline-copy="${new Date().toISOString()}"`);
  // One user's pages at a time: another user's copies go.
  for (const key of await caches.keys()) {
    if (key.startsWith(PAGES) && key !== name) await caches.delete(key);
  }
  const cache = await caches.open(name);
  await cache.put(
    pageKey(url),
    new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8" } }),
  );
}

// One copy per page, whatever its query or fragment.
function pageKey(url) {
  const address = new URL(url);
  return address.origin + address.pathname;
}

async function keptPage(url) {
  const address = pageKey(url);
  for (const key of await caches.keys()) {
    if (!key.startsWith(PAGES)) continue;
    const kept = await (await caches.open(key)).match(address);
    if (kept) return kept;
  }
  return undefined;
}

// Background Sync (Chromium): wake the open pages, which send the queue (offline.js). With no
// page open the queue waits for the next page load: the pages own the queue and its CSRF token.
self.addEventListener("sync", (event) => {
  if (event.tag !== "send-contacts") return;
  event.waitUntil(
    self.clients
      .matchAll({ type: "window" })
      .then((pages) => pages.forEach((client) => client.postMessage({ type: "send-queue" }))),
  );
});
