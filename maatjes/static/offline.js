/* Contacts logged without a connection: a queue on this phone, sent when the phone is online.
 *
 * - The contact form (form[data-offline-form]) gets a UUID in its hidden client_uuid field and
 *   is saved in the queue (IndexedDB, idb-keyval) before anything else. Offline it stays there
 *   and the home says "saved on this phone"; online the form is posted as always, and the
 *   queue's later resend of the same UUID is answered as a duplicate (the server stores a
 *   contact at most once per UUID), so a post whose answer got lost is never lost itself.
 * - The queue is sent on every page load, on the "online" event and when the service worker's
 *   Background Sync wakes the page: a fresh CSRF token from /me/csrf-token, then one JSON post
 *   per contact. Stored (201) or known (200): gone from the queue. Refused (422, 409, 404):
 *   kept, with the server's reason, on the home with "Fix" and "Drop". Session expired (401):
 *   "log in to send N waiting contacts", sent after the login.
 * - Logging out wipes the queue and the service worker's caches (after a warning when contacts
 *   wait); a page of another user wipes the first user's queue and kept pages.
 * - Without JavaScript none of this runs and the form posts as always.
 *
 * The user-visible strings come from the page: <script type="application/json" id="offline-i18n">.
 */
(function () {
  "use strict";

  const kv = window.idbKeyval;
  if (!kv || !window.indexedDB || !window.fetch || !window.Promise) return;

  const store = kv.createStore("maatjes-offline", "queue");
  const body = document.body;
  const user = body.dataset.user || "";
  const offlineCopy = body.dataset.offlineCopy; // set by the service worker on its kept copies
  const stringsBlock = document.getElementById("offline-i18n");
  const strings = stringsBlock ? JSON.parse(stringsBlock.textContent) : {};
  const HOME = "/me";
  const SAVED_HASH = "#saved-offline";
  let loginUrl = ""; // set when the server answered 401: the session has expired
  let sending = false;

  // ---- small helpers ----------------------------------------------------------------------

  function text(key, values) {
    let value = strings[key] || "";
    if (value && typeof value === "object") value = values.n === 1 ? value.one : value.other;
    return value.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? values[name] : whole));
  }

  function newUuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16)); // Safari before 15.4
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    const parts = [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20)];
    return [...parts, hex.slice(20)].join("-");
  }

  async function queued() {
    const items = await kv.values(store);
    return items.sort((a, b) => (a.created < b.created ? -1 : 1));
  }

  function localDay(date) {
    const pad = (n) => String(n).padStart(2, "0");
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  }

  function showDay(iso) {
    const day = new Date(`${iso}T12:00:00`);
    if (Number.isNaN(day.getTime())) return iso || "";
    return day.toLocaleDateString(document.documentElement.lang || undefined, {
      weekday: "short",
      day: "numeric",
      month: "short",
    });
  }

  function field(item, name) {
    const pair = item.fields.find((entry) => entry[0] === name);
    return pair ? pair[1] : "";
  }

  // A notice at the top of the page (one per kind), or none when text is empty.
  function notice(id, message, kind, link) {
    let box = document.getElementById(id);
    if (!message) {
      if (box) box.hidden = true;
      return;
    }
    if (!box) {
      box = document.createElement("div");
      box.id = id;
      box.setAttribute("role", "status");
      const main = document.querySelector("main") || body;
      main.insertBefore(box, main.firstChild);
    }
    box.className = `alert alert-${kind}`;
    box.textContent = message;
    if (link) {
      const a = document.createElement("a");
      a.href = link.href;
      a.className = "alert-link ms-1";
      a.textContent = link.text;
      box.append(" ", a);
    }
    box.hidden = false;
  }

  // ---- wiping -----------------------------------------------------------------------------

  async function deleteCaches(keep) {
    if (!window.caches) return;
    for (const key of await caches.keys()) {
      if (!keep(key)) await caches.delete(key);
    }
  }

  // Another user's queue and kept pages never survive a page of this user.
  async function wipeOtherUsers() {
    if (!user) {
      // Logged out (the login page after an idle timeout, a logout elsewhere): the kept pages
      // go, as nobody's session stands behind them; the queue waits for its owner to log in.
      await deleteCaches((key) => !key.startsWith("pages-u"));
      return;
    }
    const others = (await queued()).filter((item) => item.user !== user);
    if (others.length) await kv.clear(store);
    await deleteCaches((key) => !key.startsWith("pages-u") || key === `pages-u${user}`);
  }

  async function wipeAll() {
    await kv.clear(store);
    await deleteCaches(() => false);
  }

  // ---- the contact form -------------------------------------------------------------------

  function uuidInput(form) {
    let input = form.querySelector("input[name=client_uuid]");
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = "client_uuid";
      form.append(input);
    }
    return input;
  }

  async function setUpContactForm(form) {
    let fixing = ""; // the refused contact this form corrects
    const posted = uuidInput(form).value;
    if (posted) {
      // The server answered a post of this form (with its errors, shown on the page): the
      // contact is on screen, no longer something to send.
      await kv.del(posted, store);
    }
    const fix = /^#fix=([\w-]+)$/.exec(location.hash);
    const item = fix ? await kv.get(fix[1], store) : undefined;
    if (item && item.user === user) {
      fixing = item.uuid;
      fill(form, item);
      history.replaceState(null, "", location.pathname); // the post goes to the plain address
      const errors = Object.values(item.errors || {}).flat();
      notice("offline-fix", [item.reason, ...errors, text("fix_hint", {})].join(" "), "warning");
    } else if (offlineCopy) {
      // A copy kept earlier: its date is the day it was kept. Today is the likely day.
      const day = form.querySelector("input[name=contact_on]");
      if (day) day.value = localDay(new Date());
    }
    let busy = false;
    window.addEventListener("pageshow", () => {
      busy = false;
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (busy) return; // a double tap saves once
      busy = true;
      const uuid = newUuid();
      uuidInput(form).value = uuid;
      const item = {
        uuid,
        url: location.pathname,
        fields: Array.from(new FormData(form)).filter(
          ([name, value]) => name !== "csrf_token" && typeof value === "string",
        ),
        user,
        resident: form.dataset.resident || "",
        created: new Date().toISOString(),
        state: "waiting",
      };
      try {
        await kv.set(uuid, item, store);
        if (fixing) await kv.del(fixing, store);
      } catch (error) {
        form.submit(); // no IndexedDB here (a private window): post as without JavaScript
        return;
      }
      if (!navigator.onLine) {
        await Promise.race([askForSync(), new Promise((done) => setTimeout(done, 500))]);
        location.assign(HOME + SAVED_HASH);
        return;
      }
      // Online: the plain post, as without JavaScript. Should the connection drop on the way,
      // the service worker sends the browser to the home, and the queue has the contact.
      form.submit();
    });
  }

  function fill(form, item) {
    for (const element of form.elements) {
      const name = element.name;
      if (!name || name === "csrf_token" || name === "client_uuid") continue;
      if (element.type === "submit" || element.type === "button") continue;
      const values = item.fields.filter((entry) => entry[0] === name).map((entry) => entry[1]);
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = values.includes(element.value);
      } else {
        element.value = values.length ? values[0] : "";
      }
    }
    const more = form.querySelector("details");
    if (more) more.open = true;
  }

  // Background Sync (Chromium): the worker wakes the open pages when the connection is back.
  function askForSync() {
    if (!("serviceWorker" in navigator)) return Promise.resolve();
    return navigator.serviceWorker.ready
      .then((registration) => registration.sync && registration.sync.register("send-contacts"))
      .catch(() => {});
  }

  // ---- sending the queue ------------------------------------------------------------------

  class Stop extends Error {}

  async function freshToken() {
    const response = await fetch("/me/csrf-token", {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json" },
    });
    const answer = await response.json().catch(() => ({}));
    if (response.status === 401 || new URL(response.url).pathname !== "/me/csrf-token") {
      loginUrl = answer.login || strings.login_url;
      throw new Stop("login");
    }
    if (!response.ok || !answer.csrf_token) throw new Stop(`token ${response.status}`);
    return answer.csrf_token;
  }

  function post(item, token) {
    const data = new FormData();
    for (const [name, value] of item.fields) {
      if (name !== "client_uuid") data.append(name, value);
    }
    data.set("client_uuid", item.uuid);
    data.set("csrf_token", token);
    return fetch(item.url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      redirect: "manual",
      headers: { Accept: "application/json", "X-Maatjes-Queue": "1" },
    });
  }

  // Sends what waits; returns how many contacts the server stored for the first time.
  async function sendAll() {
    const waiting = (await queued()).filter(
      (item) => item.user === user && item.state !== "refused",
    );
    if (!waiting.length) return 0;
    let stored = 0;
    try {
      let token = await freshToken();
      for (const item of waiting) {
        let response = await post(item, token);
        let answer = await response.json().catch(() => ({}));
        if (response.status === 400 && answer.csrf) {
          token = await freshToken(); // expired on the way: once more with a new one
          response = await post(item, token);
          answer = await response.json().catch(() => ({}));
        }
        const status = response.status;
        if (status === 200 || status === 201) {
          await kv.del(item.uuid, store);
          if (status === 201 || !answer.duplicate) stored += 1;
        } else if (status === 401) {
          loginUrl = answer.login || strings.login_url;
          throw new Stop("login");
        } else if (status >= 400 && status < 500 && ![400, 408, 429].includes(status)) {
          item.state = "refused";
          item.status = status;
          item.reason = answer.reason || text("refused_reason", {});
          item.errors = answer.errors || {};
          await kv.set(item.uuid, item, store);
        } else {
          throw new Stop(`status ${status}`); // the server is busy or down: later
        }
      }
      loginUrl = "";
    } catch (error) {
      // Offline again, the session expired, or the server is away: the rest waits.
      if (!(error instanceof Stop) && !(error instanceof TypeError)) throw error;
    }
    return stored;
  }

  // wentOnline: called by the "online" event, when a kept copy of the home is worth replacing.
  async function sendQueue(wentOnline) {
    if (sending || !user || !navigator.onLine) return render();
    sending = true;
    let stored = 0;
    try {
      if (navigator.locks) {
        // One tab at a time sends; another tab finding the lock taken leaves it.
        stored = await navigator.locks.request("maatjes-queue", { ifAvailable: true }, (lock) =>
          lock ? sendAll() : 0,
        );
      } else {
        stored = await sendAll();
      }
    } finally {
      sending = false;
    }
    if (location.pathname === HOME && (stored > 0 || (offlineCopy && wentOnline))) {
      location.replace(HOME); // the weeks as the server has them now
      return undefined;
    }
    return render();
  }

  // ---- showing the queue ------------------------------------------------------------------

  async function render() {
    const mine = (await queued()).filter((item) => !user || item.user === user);
    const waiting = mine.filter((item) => item.state !== "refused").length;
    const refused = mine.filter((item) => item.state === "refused");
    const panel = document.getElementById("offline-queue");
    const login =
      waiting && (loginUrl || !user)
        ? { href: loginUrl || strings.login_url, text: strings.login_link }
        : null;
    if (login) {
      const here = location.pathname === new URL(login.href, location.href).pathname;
      notice("offline-login", text("login", { n: waiting }), "warning", here ? null : login);
    } else {
      notice("offline-login", "");
    }
    if (!panel) return;
    const line = panel.querySelector("[data-queue-waiting]");
    line.textContent = waiting ? text("waiting", { n: waiting }) : "";
    line.hidden = !waiting;
    const list = panel.querySelector("[data-queue-refused]");
    const rows = list.querySelector("ul");
    rows.replaceChildren(...refused.map(refusedRow));
    list.hidden = !refused.length;
    panel.hidden = !waiting && !refused.length;
  }

  function refusedRow(item) {
    const row = document.createElement("li");
    row.className = "list-group-item";
    row.dataset.uuid = item.uuid;
    const what = document.createElement("div");
    what.className = "fw-semibold";
    what.textContent = text("refused_item", {
      name: item.resident,
      day: showDay(field(item, "contact_on")),
    });
    const why = document.createElement("div");
    why.className = "small";
    why.textContent = [item.reason, ...Object.values(item.errors || {}).flat()].join(" ");
    const buttons = document.createElement("div");
    buttons.className = "d-flex gap-2 mt-2";
    if (item.status === 422) {
      // Only a form the server would take again can be fixed (an ended match cannot).
      const fix = document.createElement("a");
      fix.className = "btn btn-sm btn-primary";
      fix.href = `${item.url}#fix=${item.uuid}`;
      fix.textContent = strings.fix;
      buttons.append(fix);
    }
    const drop = document.createElement("button");
    drop.type = "button";
    drop.className = "btn btn-sm btn-outline-danger";
    drop.textContent = strings.drop;
    drop.addEventListener("click", async () => {
      if (!window.confirm(strings.drop_confirm)) return;
      await kv.del(item.uuid, store);
      render();
    });
    buttons.append(drop);
    row.append(what, why, buttons);
    return row;
  }

  // ---- logging out ------------------------------------------------------------------------

  function isLogout(form) {
    if (!(form instanceof HTMLFormElement)) return false;
    const path = new URL(form.action, location.href).pathname;
    return path === "/logout" || path === "/logout/everywhere";
  }

  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!isLogout(form)) return;
    event.preventDefault();
    try {
      const left = (await queued()).length;
      if (left && !window.confirm(text("logout_confirm", { n: left }))) return;
      await wipeAll();
    } catch (error) {
      // IndexedDB unavailable: the logout answer's Clear-Site-Data wipes what there is.
    }
    form.submit();
  });

  // ---- the service worker -----------------------------------------------------------------

  function registerWorker() {
    // Only for a volunteer: the worker keeps a volunteer's own home and contact forms; a
    // visitor of the public pages and staff get no worker.
    if (!user || body.dataset.role !== "volunteer" || !("serviceWorker" in navigator)) return;
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data && event.data.type === "send-queue") sendQueue();
    });
    navigator.serviceWorker.ready.then((registration) => {
      const selector = "link[rel~=stylesheet][href], link[rel~=icon][href], script[src]";
      const urls = Array.from(document.querySelectorAll(selector), (el) => el.href || el.src);
      if (registration.active) registration.active.postMessage({ type: "assets", urls });
    });
  }

  // ---- on every page ----------------------------------------------------------------------

  async function start() {
    await wipeOtherUsers();
    if (location.hash === SAVED_HASH) {
      notice("offline-saved", strings.saved, "success");
      history.replaceState(null, "", location.pathname + location.search);
    } else if (offlineCopy && !navigator.onLine) {
      notice("offline-copy", strings.offline_copy, "secondary");
    }
    const form = document.querySelector("form[data-offline-form]");
    if (form && user) await setUpContactForm(form);
    await sendQueue();
  }

  window.addEventListener("online", () => sendQueue(true));
  registerWorker();
  start().catch(() => {});
})();
