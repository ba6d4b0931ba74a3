// @ts-check
// The console's page: one channel at a time, live over server-sent events; commands and button
// presses go back as JSON. Every message arrives as HTML the server rendered and escaped from the
// product's neutral message model; this script only places it.

/**
 * @typedef {{ id: string, name: string }} Channel
 * @typedef {{ user: { id: string, name: string }, channels: Channel[], commands: string[] }} Session
 * @typedef {{ id: string, postedAt: number, thread?: string, html: string }} Item
 * @typedef {Item & { replies: Item[] }} Message
 * @typedef {{ html: string }} Reply
 */

/** @param {string} id */
function element(id) {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`the page has no #${id}`);
  return found;
}

const list = element('messages');
const composer = /** @type {HTMLFormElement} */ (element('composer'));
const input = /** @type {HTMLInputElement} */ (element('command'));
const hints = element('hints');
const connection = element('connection');

/** @type {{ session?: Session, channel?: string, source?: EventSource, history: string[], back: number }} */
const state = { history: [], back: 0 };

/** @param {string} path @param {object} [body] */
async function api(path, body) {
  const response = await fetch(path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  return { status: response.status, body: /** @type {any} */ (await response.json()) };
}

/** @param {number} ms */
function clock(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function requestId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** @param {string} tag @param {string} className @param {string} [text] */
function make(tag, className, text) {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * A message as a chat client shows it: who, when, what.
 * @param {{ author: string, avatar: string, app?: boolean, postedAt: number, html?: string, text?: string, ephemeral?: boolean }} shown
 */
function messageNode(shown) {
  const node = make('li', shown.ephemeral ? 'message ephemeral' : 'message');
  const avatar = make('div', shown.app ? 'avatar app' : 'avatar person', shown.avatar);
  avatar.setAttribute('aria-hidden', 'true');
  const main = make('div', 'message-main');
  const meta = make('div', 'meta');
  meta.append(make('span', 'author', shown.author));
  if (shown.app) meta.append(make('span', 'badge', 'APP'));
  meta.append(make('time', 'time', clock(shown.postedAt)));
  if (shown.ephemeral) meta.append(make('span', 'only-you', 'Only visible to you'));
  const body = make('div', 'body');
  if (shown.html !== undefined) body.innerHTML = shown.html;
  else body.textContent = shown.text ?? '';
  main.append(meta, body);
  node.append(avatar, main);
  return node;
}

/** @param {Item} item */
function botMessage(item) {
  const node = messageNode({
    author: 'Harbormaster',
    avatar: '⚓',
    app: true,
    postedAt: item.postedAt,
    html: item.html,
  });
  node.id = `m-${item.id}`;
  node.dataset.id = item.id;
  return node;
}

/** The thread under a message: "N replies", opened on demand. @param {HTMLElement} parent */
function threadOf(parent) {
  const main = /** @type {HTMLElement} */ (parent.querySelector(':scope > .message-main'));
  let thread = /** @type {HTMLDetailsElement | null} */ (
    main.querySelector(':scope > details.thread')
  );
  if (thread === null) {
    thread = /** @type {HTMLDetailsElement} */ (make('details', 'thread'));
    thread.append(make('summary', 'thread-toggle'), make('ol', 'replies'));
    main.append(thread);
  }
  return thread;
}

/** @param {HTMLDetailsElement} thread */
function countReplies(thread) {
  const count = thread.querySelectorAll(':scope > .replies > .message').length;
  const toggle = /** @type {HTMLElement} */ (thread.querySelector(':scope > summary'));
  toggle.textContent = count === 1 ? '1 reply' : `${count} replies`;
}

function nearBottom() {
  return list.scrollHeight - list.scrollTop - list.clientHeight < 120;
}

/** Places an item: new content for a message already shown, or a new message or reply. @param {Item} item */
function apply(item) {
  list.querySelector(':scope > .welcome')?.remove();
  const follow = nearBottom();
  const existing = document.getElementById(`m-${item.id}`);
  if (existing !== null) {
    const body = /** @type {HTMLElement} */ (
      existing.querySelector(':scope > .message-main > .body')
    );
    body.innerHTML = item.html;
  } else if (item.thread === undefined) {
    list.append(botMessage(item));
  } else {
    const parent = document.getElementById(`m-${item.thread}`);
    if (parent === null) return;
    const thread = threadOf(parent);
    /** @type {HTMLElement} */ (thread.querySelector(':scope > .replies')).append(botMessage(item));
    countReplies(thread);
  }
  if (follow) list.scrollTop = list.scrollHeight;
}

/** The commands a new channel suggests; a click puts one in the composer. */
const TRY = ['/deploy hello-world', '/deploy list', '/status'];

/** What an empty channel shows: what Harbormaster does, and what to type. */
function welcome() {
  const node = make('li', 'welcome');
  node.append(
    make('div', 'welcome-title', 'Deploy from here, as your team would from Slack'),
    make(
      'p',
      'welcome-text',
      "Harbormaster runs the service's tests, builds and pushes its image, installs it with helm and follows the rollout, updating one message as it goes.",
    ),
  );
  const tries = make('div', 'welcome-tries');
  for (const text of TRY) {
    const button = /** @type {HTMLButtonElement} */ (make('button', 'try', text));
    button.type = 'button';
    button.addEventListener('click', () => {
      input.value = text;
      input.focus();
    });
    tries.append(button);
  }
  node.append(tries);
  return node;
}

/** @param {Message[]} messages */
function showSnapshot(messages) {
  list.replaceChildren();
  if (messages.length === 0) list.append(welcome());
  for (const message of messages) {
    apply(message);
    for (const reply of message.replies) apply(reply);
  }
  list.scrollTop = list.scrollHeight;
  highlightFromHash();
}

/** @param {string} text */
function setConnection(text) {
  connection.textContent = text;
  connection.dataset.state = text;
}

/** @param {string} id */
function openChannel(id) {
  const channel = state.session?.channels.find((candidate) => candidate.id === id);
  if (channel === undefined || state.channel === id) return;
  state.channel = id;
  state.source?.close();
  element('channel-name').textContent = `# ${channel.name}`;
  input.placeholder = `Message #${channel.name}: try /deploy hello-world, /deploy list or /status`;
  for (const item of document.querySelectorAll('#channels li')) {
    item.classList.toggle('active', /** @type {HTMLElement} */ (item).dataset.id === id);
  }
  list.replaceChildren();
  setConnection('connecting…');
  const source = new EventSource(`/api/events?channel=${encodeURIComponent(id)}`);
  source.addEventListener('snapshot', (event) => {
    setConnection('live');
    showSnapshot(JSON.parse(/** @type {MessageEvent} */ (event).data).messages);
  });
  source.addEventListener('item', (event) =>
    apply(JSON.parse(/** @type {MessageEvent} */ (event).data)),
  );
  source.addEventListener('error', () => setConnection('reconnecting…'));
  state.source = source;
}

/** A permalink (`/#<channel>/<message>`) opens its channel and shows the message. */
function highlightFromHash() {
  const [channel, message] = location.hash.slice(1).split('/');
  if (channel) openChannel(channel);
  const target = message ? document.getElementById(`m-${message}`) : null;
  if (target === null) return;
  target.scrollIntoView({ block: 'center' });
  target.classList.add('highlight');
}

/** What the person typed, shown to them alone, as their client shows it. @param {string} text */
function echo(text) {
  const me = state.session?.user.name ?? 'you';
  const avatar = me.slice(0, 1).toUpperCase();
  list.querySelector(':scope > .welcome')?.remove();
  list.append(messageNode({ author: me, avatar, postedAt: Date.now(), text, ephemeral: true }));
  list.scrollTop = list.scrollHeight;
}

/** Harbormaster's answers only the person who typed sees. @param {Reply[]} replies */
function showReplies(replies) {
  for (const reply of replies) {
    const shown = { author: 'Harbormaster', avatar: '⚓', app: true, postedAt: Date.now() };
    list.append(messageNode({ ...shown, html: reply.html, ephemeral: true }));
  }
  list.scrollTop = list.scrollHeight;
}

/** @param {string} text */
async function send(text) {
  echo(text);
  if (!text.startsWith('/')) {
    showNote(
      'Harbormaster answers commands: /deploy hello-world, /deploy list, /deploy help or /status.',
    );
    return;
  }
  const answer = await api('/api/command', {
    channel: state.channel,
    text,
    requestId: requestId(),
  });
  if (answer.status === 404) {
    const commands = (state.session?.commands ?? []).join(' or ');
    showNote(`${text.split(/\s/)[0]} is not a command here. Try ${commands}.`);
    return;
  }
  if (answer.status !== 200) throw new Error(`the console answered ${answer.status}`);
  showReplies(answer.body.replies);
}

/** A line from the page itself (not from Harbormaster). @param {string} text */
function showNote(text) {
  list.append(make('li', 'note', text));
  list.scrollTop = list.scrollHeight;
}

composer.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (text === '') return;
  state.history.push(text);
  state.back = 0;
  input.value = '';
  hints.hidden = true;
  input.disabled = true;
  send(text)
    .catch((error) =>
      showNote(`Not sent: ${error instanceof Error ? error.message : String(error)}`),
    )
    .finally(() => {
      input.disabled = false;
      input.focus();
    });
});

input.addEventListener('keydown', (event) => {
  if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return;
  const step = event.key === 'ArrowUp' ? 1 : -1;
  state.back = Math.min(state.history.length, Math.max(0, state.back + step));
  input.value = state.back === 0 ? '' : (state.history[state.history.length - state.back] ?? '');
  event.preventDefault();
});

input.addEventListener('input', () => {
  const commands = state.session?.commands ?? [];
  const typed = input.value;
  const matching = commands.filter(
    (name) => typed.startsWith('/') && name.startsWith(typed.split(' ')[0] ?? ''),
  );
  hints.hidden = matching.length === 0 || typed.includes(' ');
  hints.replaceChildren(...matching.map((name) => make('div', 'hint', name)));
});

list.addEventListener('click', (event) => {
  const button = /** @type {HTMLElement} */ (event.target).closest('button[data-action-id]');
  if (!(button instanceof HTMLButtonElement)) return;
  const message = /** @type {HTMLElement | null} */ (button.closest('.message'))?.dataset.id;
  button.disabled = true;
  api('/api/action', {
    channel: state.channel,
    message,
    actionId: button.dataset.actionId,
    value: button.dataset.value,
  })
    .then((answer) => {
      if (answer.status === 200) showReplies(answer.body.replies);
      else showNote(`That button is not handled here (${answer.status}).`);
    })
    .catch((error) =>
      showNote(`Not sent: ${error instanceof Error ? error.message : String(error)}`),
    )
    .finally(() => {
      button.disabled = false;
    });
});

window.addEventListener('hashchange', highlightFromHash);

async function start() {
  const answer = await api('/api/session');
  if (answer.status !== 200) {
    showNote('This console needs its token: open the link Harbormaster printed when it started.');
    return;
  }
  /** @type {Session} */
  const session = answer.body;
  state.session = session;
  element('me').textContent = session.user.name;
  const channels = element('channels');
  for (const channel of session.channels) {
    const item = make('li', 'channel-link');
    item.dataset.id = channel.id;
    const link = /** @type {HTMLAnchorElement} */ (make('a', '', `# ${channel.name}`));
    link.href = `#${channel.id}`;
    item.append(link);
    channels.append(item);
  }
  const fromHash = location.hash.slice(1).split('/')[0];
  openChannel(
    fromHash && session.channels.some((c) => c.id === fromHash)
      ? fromHash
      : (session.channels[0]?.id ?? ''),
  );
  input.focus();
}

start().catch((error) => showNote(`The console could not start: ${String(error)}`));
