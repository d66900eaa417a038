"use strict";
// Shared by player.html and gm.html: the server writes it into each page at its marker
// (session_server._page), so the pages need no second request and no second token check.
const TOKEN = new URLSearchParams(location.search).get("token") || "";
function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}
async function api(path, body) {
  const init = {headers: {"Authorization": "Bearer " + TOKEN}};
  if (body !== undefined) {
    init.method = "POST"; init.body = JSON.stringify(body);
    init.headers["Content-Type"] = "application/json";
  }
  const r = await fetch(path, init);
  const data = await r.json();
  if (!r.ok) throw new Error(data.error || r.status);
  return data;
}
