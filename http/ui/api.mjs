// weft ui: how the page talks to weft serve's HTTP API, with the API key
// when weft ui was started with one: taken from the #key= of the URL it
// printed (kept for this tab only, and dropped from the address bar), or
// asked for when the server answers 401 (docs/ui.md#the-api-key).
import { safeDecode } from "./lib.mjs";

const KEY_SLOT = "weft-api-key";
const keyInUrl = /(?:^#|&)key=([^&]*)/.exec(location.hash);
if (keyInUrl) {
  sessionStorage.setItem(KEY_SLOT, safeDecode(keyInUrl[1]));
  history.replaceState(null, "", location.pathname + location.search);
}

function authorization() {
  const key = sessionStorage.getItem(KEY_SLOT);
  if (!key) return {};
  const bytes = new TextEncoder().encode(`api:${key}`);
  return { Authorization: "Basic " + btoa(String.fromCharCode(...bytes)) };
}

export async function api(path, init = {}) {
  const send = () => fetch(path, { ...init, headers: { ...init.headers, ...authorization() } });
  // A keep-alive connection the server closed as it was reused fails the
  // fetch: every request of the viewer reads, so it is sent once more.
  const res = await send().catch(send);
  if (res.status !== 401) return res;
  const key = prompt("This weft ui was started with an API key. Enter it:");
  if (!key) return res;
  sessionStorage.setItem(KEY_SLOT, key);
  return api(path, init);
}

async function post(path, body) {
  const res = await api(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) {
    let reason = res.statusText;
    try { reason = (await res.json()).reason || reason; } catch (e) { /* not JSON */ }
    throw new Error(`${path}: ${reason}`);
  }
  return res;
}

// The store's projects, and whether this server takes writes
// (weft ui --allow-writes): {projects, read_only}, asked once.
let info = null;
export function serverInfo() {
  info ??= api("/weft/projects").then((res) => res.json());
  return info;
}

// A method that answers one JSON object.
export const postJson = async (path, body) => (await post(path, body)).json();

// A stored file's bytes, as text (an op's source).
export async function fileText(project, digest) {
  return (await post("/files/content", { project_id: project, digest })).text();
}

// A streaming method: its NDJSON lines as objects.
export async function stream(path, body) {
  const text = await (await post(path, body)).text();
  return text.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
}
