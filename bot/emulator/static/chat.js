// Offline Telegram-like chat page for the Bot API emulator. No external resources; bot HTML is rendered
// from message entities with DOM nodes (textContent only), never injected as markup.
"use strict";

const state = {
  userId: null, ready: Promise.resolve(), version: -1, answersSeen: 0, polling: false, noticeAt: null,
  keyboard: null, keyboardId: null, keyboardOpen: false,
};
// Places a tester can share with one click (what a request_location button sends from a phone).
const PLACES = [
  ["Kuala Lumpur", 3.139, 101.687], ["Bangkok", 13.756, 100.502], ["Riyadh", 24.713, 46.675],
  ["Jakarta", -6.2, 106.816], ["Manila", 14.599, 120.984], ["Dubai", 25.205, 55.271],
];
const $ = (id) => document.getElementById(id);

async function answerOf(response) {
  const data = await response.json();
  if (!response.ok) { throw new Error(data.error || response.statusText); }
  return data;
}

async function api(path, body) {
  const init = body === undefined ? {} : {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  };
  return answerOf(await fetch(path, init));
}

// A photo from a file input, posted as multipart/form-data with the form's other fields (caption, sender...).
async function upload(path, file, fields) {
  const form = new FormData();
  form.append("photo", file);
  for (const [key, value] of Object.entries(fields)) {
    if (value !== null && value !== undefined && value !== "") { form.append(key, String(value)); }
  }
  return answerOf(await fetch(path, { method: "POST", body: form }));
}

// The file input behind a 📎 button: pick a picture and `send` it; the input is emptied for the next one.
function setUpPhotoButton(button, input, send) {
  button.addEventListener("click", () => input.click());
  input.addEventListener("change", async () => {
    const file = input.files && input.files[0];
    if (!file) { return; }
    try { await send(file); } finally { input.value = ""; }
  });
}

// Media as the page shows it: a photo as the picture itself (served by the emulator's file store), else a label.
function mediaElement(media, label) {
  const box = document.createElement("div");
  box.className = "media";
  box.dataset.testid = "media";
  box.dataset.kind = media.kind;
  if (media.kind !== "photo") { box.textContent = label; return box; }
  const img = document.createElement("img");
  img.className = "photo";
  img.dataset.testid = "photo";
  img.alt = "Photo";
  img.src = "/control/files/" + encodeURIComponent(media.file_id);
  img.addEventListener("error", () => { box.textContent = label; });  // a URL the emulator never downloaded
  img.addEventListener("load", () => {  // the picture made the message taller: stay at the bottom if we were
    const pane = img.closest("#chat, #desk-messages");
    if (pane && pane.scrollHeight - pane.scrollTop - pane.clientHeight - img.offsetHeight < 40) {
      pane.scrollTop = pane.scrollHeight;
    }
  });
  box.append(img);
  return box;
}

function userIdFor(language) {
  const saved = new URLSearchParams(location.search).get("user");
  if (saved) { return Number(saved); }
  let code = 0;
  for (const ch of language) { code = (code * 31 + ch.charCodeAt(0)) % 100000; }
  return 900000000 + code;  // one simulated user per language keeps chats apart
}

async function chooseLanguage(language) {
  state.userId = userIdFor(language);
  // Start, Send and Reset wait for this: a press right after choosing a language speaks as the new user.
  state.ready = api("/control/users", { id: state.userId, first_name: "Preview", language_code: language });
  await state.ready;
  state.version = -1;
  state.answersSeen = 0;
  await refresh(false);
}

const ENTITY_TAGS = {
  bold: "b", italic: "i", underline: "u", strikethrough: "s", code: "code", pre: "pre",
  blockquote: "blockquote", expandable_blockquote: "blockquote", spoiler: "span", text_link: "a",
  url: "a", text_mention: "a", custom_emoji: "span", date_time: "span", phone_number: "a",
};

function elementFor(entity, text) {
  const el = document.createElement(ENTITY_TAGS[entity.type] || "span");
  if (entity.type === "spoiler") {
    el.className = "tg-spoiler";
    el.addEventListener("click", () => el.classList.add("shown"));
  }
  const href = entity.type === "text_link" ? entity.url : entity.type === "url" ? text : null;
  if (href && /^(https?:|tg:)/i.test(href)) { el.href = href; el.target = "_blank"; el.rel = "noopener"; }
  if (entity.type === "phone_number") {  // as Telegram's apps show a number they recognised: tap to call
    el.href = "tel:" + text.replace(/[^0-9+]/g, "");
    el.dataset.testid = "phone-number";
  }
  if (entity.language) { el.dataset.language = entity.language; }
  return el;
}

// Entity offsets are UTF-16 code units, which is exactly how JavaScript strings index.
function renderEntities(text, entities) {
  const root = document.createDocumentFragment();
  const sorted = [...entities].sort((a, b) => a.offset - b.offset || b.length - a.length);
  function build(parent, start, end, list) {
    let pos = start;
    let i = 0;
    while (i < list.length) {
      const entity = list[i];
      const entityEnd = entity.offset + entity.length;
      if (entity.offset > pos) { parent.append(text.slice(pos, entity.offset)); }
      const inner = [];
      let j = i + 1;
      while (j < list.length && list[j].offset < entityEnd) { inner.push(list[j]); j += 1; }
      const el = elementFor(entity, text.slice(entity.offset, entityEnd));
      build(el, entity.offset, Math.min(entityEnd, end), inner);
      parent.append(el);
      pos = Math.max(pos, entityEnd);
      i = j;
    }
    if (pos < end) { parent.append(text.slice(pos, end)); }
  }
  build(root, 0, text.length, sorted);
  return root;
}

function renderMessage(message) {
  const bubble = document.createElement("div");
  bubble.className = "bubble " + (message.from_bot ? "from-bot" : "from-user");
  bubble.dataset.testid = message.from_bot ? "bot-message" : "user-message";
  bubble.dataset.messageId = String(message.message_id);
  bubble.dir = "auto";
  if (message.media) {
    const label = "[" + message.media.kind + (message.media.file_name ? ": " + message.media.file_name : "") + "]";
    bubble.append(mediaElement(message.media, label));
  }
  if (message.location) {
    // A small pin, never a map: the coordinates are shown rounded (about 100 m) and in small type.
    const place = document.createElement("div");
    place.className = "location";
    place.dataset.testid = "location";
    place.textContent = "📍 Location";
    const where = document.createElement("span");
    where.className = "where";
    where.dataset.testid = "location-coordinates";
    where.textContent = message.location.latitude.toFixed(3) + ", " + message.location.longitude.toFixed(3);
    place.append(where);
    bubble.append(place);
  }
  if (!message.location || message.text != null || message.caption != null) {
    const body = document.createElement("div");
    body.dataset.testid = "message-text";
    body.dir = "auto";
    body.append(renderEntities(message.text ?? message.caption ?? "", message.entities || []));
    bubble.append(body);
  }
  if (message.buttons.length) {
    const keyboard = document.createElement("div");
    keyboard.className = "keyboard";
    for (const row of message.buttons) {
      const rowEl = document.createElement("div");
      rowEl.className = "row";
      for (const button of row) {
        let el;
        if (button.url) {
          el = document.createElement("a");
          if (/^(https?:|tg:)/i.test(button.url)) { el.href = button.url; }
          el.target = "_blank";
          el.rel = "noopener";
        } else {
          el = document.createElement("button");
          el.type = "button";
          el.addEventListener("click", () => press(message.message_id, button.text));
        }
        el.dataset.testid = "inline-button";
        el.dir = "auto";
        el.textContent = button.text;
        rowEl.append(el);
      }
      keyboard.append(rowEl);
    }
    bubble.append(keyboard);
    bubble.classList.add("with-keyboard");
  }
  if (message.edited) {
    const meta = document.createElement("div");
    meta.className = "meta";
    meta.textContent = "edited";
    bubble.append(meta);
  }
  return bubble;
}

function showAnswer(answer) {
  if (!answer.text) { return; }
  const toast = $("toast");
  toast.textContent = answer.text;
  toast.className = answer.show_alert ? "alert" : "";
  toast.dataset.alert = String(answer.show_alert);
  toast.hidden = false;
  clearTimeout(showAnswer.timer);
  showAnswer.timer = setTimeout(() => { toast.hidden = true; }, answer.show_alert ? 6000 : 2500);
}

function showNotice(notice) {
  const box = $("notice");
  if (!notice || notice.at === state.noticeAt) { return; }
  state.noticeAt = notice.at;
  const text = document.createElement("div");
  text.dataset.testid = "notice-text";
  text.textContent = notice.text;
  const list = document.createElement("ul");
  for (const line of notice.details) {
    const item = document.createElement("li");
    item.textContent = line;
    list.append(item);
  }
  box.replaceChildren(text, ...(notice.details.length ? [list] : []));
  box.className = notice.level;
  box.dataset.level = notice.level;
  box.hidden = false;
  clearTimeout(showNotice.timer);
  if (notice.level === "ok") { showNotice.timer = setTimeout(() => { box.hidden = true; }, 8000); }
}

// The bot's reply keyboard sits under the input field, as in Telegram, until the bot removes it. A one-time
// keyboard hides after a press; the ⌨ button brings it back.
function renderReplyKeyboard(keyboard) {
  state.keyboard = keyboard;
  const id = keyboard ? keyboard.message_id : null;
  if (id !== state.keyboardId) { state.keyboardId = id; state.keyboardOpen = false; }
  const shown = Boolean(keyboard) && (!keyboard.hidden || state.keyboardOpen);
  const box = $("reply-keyboard");
  box.hidden = !shown;
  box.classList.toggle("resize", Boolean(keyboard && keyboard.resize));
  $("show-keyboard").hidden = !keyboard || shown;
  $("text").placeholder = (shown && keyboard.placeholder) || "Message";
  if (!shown) { box.replaceChildren(); return; }
  box.replaceChildren(...keyboard.rows.map((row) => {
    const rowEl = document.createElement("div");
    rowEl.className = "row";
    for (const button of row) {
      const el = document.createElement("button");
      el.type = "button";
      el.dir = "auto";
      el.dataset.testid = "reply-button";
      el.dataset.kind = button.kind;
      el.textContent = button.text;
      el.addEventListener("click", () => pressReply(keyboard, button));
      rowEl.append(el);
    }
    return rowEl;
  }));
}

async function pressReply(keyboard, button) {
  if (button.kind === "request_location") { openLocationDialog(); return; }
  if (button.kind !== "text") {
    showAnswer({ text: "The preview cannot share this (" + button.kind + ")", show_alert: false });
    return;
  }
  if (keyboard.one_time) { state.keyboardOpen = false; }
  try { await api(`/control/users/${state.userId}/reply_keyboard/press`, { text: button.text }); }
  catch (error) { showAnswer({ text: String(error.message), show_alert: false }); }
}

function openLocationDialog() {
  $("latitude").value = "";
  $("longitude").value = "";
  $("location-error").hidden = true;
  for (const preset of $("location-presets").children) { preset.classList.remove("chosen"); }
  $("location-dialog").showModal();
}

function coordinate(input, limit) {
  const text = input.value.trim().replace(",", ".");
  const value = Number(text);
  return text !== "" && Number.isFinite(value) && Math.abs(value) <= limit ? value : null;
}

async function sendLocation(event) {
  event.preventDefault();
  const latitude = coordinate($("latitude"), 90);
  const longitude = coordinate($("longitude"), 180);
  const error = $("location-error");
  if (latitude === null || longitude === null) {
    error.textContent = "Pick a place, or type a latitude (-90 to 90) and a longitude (-180 to 180).";
    error.hidden = false;
    return;
  }
  try {
    if (state.keyboard && state.keyboard.one_time) { state.keyboardOpen = false; }
    await api(`/control/users/${state.userId}/location`, { latitude, longitude });
    $("location-dialog").close();
  } catch (failure) {
    error.textContent = String(failure.message);
    error.hidden = false;
  }
}

function setUpLocationDialog() {
  const presets = $("location-presets");
  for (const [name, latitude, longitude] of PLACES) {
    const el = document.createElement("button");
    el.type = "button";
    el.dataset.testid = "location-preset";
    el.textContent = name;
    el.addEventListener("click", () => {
      $("latitude").value = String(latitude);
      $("longitude").value = String(longitude);
      $("location-error").hidden = true;
      for (const other of presets.children) { other.classList.toggle("chosen", other === el); }
    });
    presets.append(el);
  }
  $("location-form").addEventListener("submit", sendLocation);
  $("location-cancel").addEventListener("click", () => $("location-dialog").close());
  $("attach-location").addEventListener("click", openLocationDialog);
  $("show-keyboard").addEventListener("click", () => { state.keyboardOpen = true; renderReplyKeyboard(state.keyboard); });
}

// The element drawn for each message, with the message it was drawn from: a message that has not changed keeps its
// element, so what a reader or reviewer has open in it (a correction being typed) survives a notice or a new message.
const drawn = new Map();

function messageElement(message) {
  const id = String(message.message_id);
  const key = JSON.stringify(message);
  const kept = drawn.get(id);
  if (kept && kept.key === key) { return kept.el; }
  const el = renderMessage(message);
  drawn.set(id, { key, el });
  return el;
}

function render(view) {
  showNotice(view.notice);
  renderReplyKeyboard(view.reply_keyboard);
  const chat = $("chat");
  const atBottom = chat.scrollHeight - chat.scrollTop - chat.clientHeight < 40;
  const known = new Set([...chat.children].map((el) => el.dataset.messageId));
  const elements = view.messages.map(messageElement);
  const shown = new Set(view.messages.map((m) => String(m.message_id)));
  for (const id of [...drawn.keys()]) { if (!shown.has(id)) { drawn.delete(id); } }
  if (elements.length !== chat.children.length || elements.some((el, i) => chat.children[i] !== el)) {
    chat.replaceChildren(...elements);
  }
  for (const answer of view.callback_answers.slice(state.answersSeen)) { showAnswer(answer); }
  state.answersSeen = view.callback_answers.length;
  // A new answer is brought into view, as a phone does: its start when it is taller than the screen, so the
  // first lines (the numbers of a help answer) are what the reader sees first.
  const fresh = [...chat.children].filter((el) => !known.has(el.dataset.messageId));
  if (fresh.length) {
    const first = fresh.find((el) => el.dataset.testid === "bot-message") || fresh[0];
    const start = first.offsetTop - chat.offsetTop - 8;
    chat.scrollTop = chat.scrollHeight - start > chat.clientHeight ? start : chat.scrollHeight;
  } else if (atBottom) {
    chat.scrollTop = chat.scrollHeight;
  }
}

async function refresh(wait) {
  const userId = state.userId;
  const query = wait ? `?after=${state.version}&wait=25` : "";
  const view = await api(`/control/users/${userId}/chat${query}`);
  if (userId === state.userId && view.version !== state.version) {
    state.version = view.version;
    render(view);
    if (desk.groupId === null) { findDesk(); }  // every change wakes this poll: a desk group may have appeared
  }
}

async function pollForever() {
  if (state.polling) { return; }
  state.polling = true;
  for (;;) {
    try { await refresh(true); } catch (error) { await new Promise((r) => setTimeout(r, 1000)); }
  }
}

async function press(messageId, text) {
  try { await api(`/control/users/${state.userId}/press`, { text, message_id: messageId }); }
  catch (error) { showAnswer({ text: String(error.message), show_alert: false }); }
}

// The desk pane: a supergroup with topics (the NGO desk of Talk to a person), shown when the emulator has one.
// Staff pick a topic, read it and write into it as a simulated member; the bot answers as it would on Telegram.
const desk = { groupId: null, thread: null, version: -1, group: null, polling: false };
const WRITERS = ["creator", "administrator", "member"];

function topicParts(name) {
  // "Case 0007 · my · TH": the case number, the person's language and the country (left out when unknown).
  const parts = name.split(" · ");
  return parts.length <= 3 ? parts : [name];
}

function renderTopics(group) {
  const list = $("desk-topics");
  if (!group.topics.length) {
    const empty = document.createElement("li");
    empty.className = "empty";
    empty.dataset.testid = "desk-no-topics";
    empty.textContent = "No topics yet: a case opens one.";
    list.replaceChildren(empty);
    return;
  }
  list.replaceChildren(...[...group.topics].reverse().map((topic) => {
    const item = document.createElement("li");
    item.dataset.testid = "desk-topic";
    item.dataset.threadId = String(topic.thread_id);
    item.dataset.closed = String(topic.closed);
    item.classList.toggle("selected", topic.thread_id === desk.thread);
    item.tabIndex = 0;
    item.dir = "auto";
    const parts = topicParts(topic.name);
    const ids = ["desk-topic-case", "desk-topic-language", "desk-topic-country"];
    parts.forEach((part, i) => {
      const el = document.createElement("span");
      el.className = i === 0 ? "case" : "tag";
      el.dataset.testid = ids[i];
      el.textContent = part;
      item.append(el);
    });
    const status = document.createElement("span");
    status.className = "status";
    status.dataset.testid = "desk-topic-status";
    status.textContent = topic.closed ? "closed" : "open";
    item.append(status);
    const choose = () => selectTopic(topic.thread_id);
    item.addEventListener("click", choose);
    item.addEventListener("keydown", (event) => { if (event.key === "Enter") { choose(); } });
    return item;
  }));
}

function renderDeskMessage(message) {
  const bubble = document.createElement("div");
  bubble.dataset.messageId = String(message.message_id);
  bubble.dir = "auto";
  if (message.service) {
    bubble.className = "service";
    bubble.dataset.testid = "desk-service";
    const what = { forum_topic_created: "topic opened", forum_topic_closed: "topic closed",
                   forum_topic_reopened: "topic reopened" };
    bubble.textContent = what[message.service] || message.service;
    return bubble;
  }
  bubble.className = "bubble " + (message.from_bot ? "from-bot" : "from-staff");
  bubble.dataset.testid = "desk-message";
  bubble.dataset.from = message.from_bot ? "bot" : "staff";
  const sender = document.createElement("div");
  sender.className = "sender";
  sender.dataset.testid = "desk-message-sender";
  sender.textContent = message.sender_name || "";
  bubble.append(sender);
  if (message.media) { bubble.append(mediaElement(message.media, "[" + message.media.kind + "]")); }
  if (message.location) {
    const place = document.createElement("div");
    place.className = "location";
    place.textContent = "📍 " + message.location.latitude.toFixed(3) + ", " + message.location.longitude.toFixed(3);
    bubble.append(place);
  }
  const body = document.createElement("div");
  body.dataset.testid = "desk-message-text";
  body.dir = "auto";
  body.append(renderEntities(message.text ?? message.caption ?? "", message.entities || []));
  bubble.append(body);
  return bubble;
}

function renderStaff(group) {
  const select = $("desk-staff");
  const writers = group.members.filter((m) => WRITERS.includes(m.status));
  const key = writers.map((m) => m.id + ":" + m.status).join(",");
  if (select.dataset.key === key) { return; }
  const chosen = select.value;
  select.replaceChildren(...writers.map((member) => {
    const option = document.createElement("option");
    option.value = String(member.id);
    option.textContent = (member.first_name || "User") + " (" + member.status + ")";
    return option;
  }));
  if (writers.some((m) => String(m.id) === chosen)) { select.value = chosen; }
  select.dataset.key = key;
}

function renderDesk(view) {
  const group = view.group;
  desk.group = group;
  $("desk-title").textContent = group.title;
  const present = group.bot_status === "administrator" || group.bot_status === "member";
  const status = $("desk-bot-status");
  status.textContent = "bot: " + group.bot_status;
  status.dataset.status = group.bot_status;
  status.classList.toggle("down", !present);
  $("desk-bot-toggle").textContent = present ? "Remove the bot" : "Add the bot back";
  renderStaff(group);
  if (desk.thread === null && group.topics.length) { desk.thread = group.topics[group.topics.length - 1].thread_id; }
  renderTopics(group);
  const chosen = group.topics.find((t) => t.thread_id === desk.thread);
  $("desk-input").disabled = !chosen;
  $("desk-send").disabled = !chosen;
  $("desk-attach-photo").disabled = !chosen;
  $("desk-input").placeholder = chosen
    ? "Reply as staff, or /close, /note …, /page <id>, /card <country>"
    : "Pick a topic";
  if (view.thread_id !== desk.thread) { return; }  // an answer for a topic no longer shown
  const box = $("desk-messages");
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  box.replaceChildren(...(desk.thread === null ? [] : view.messages.map(renderDeskMessage)));
  if (atBottom) { box.scrollTop = box.scrollHeight; }
}

async function refreshDesk(wait) {
  const thread = desk.thread;
  const params = new URLSearchParams();
  if (thread !== null) { params.set("thread_id", String(thread)); }
  if (wait) { params.set("after", String(desk.version)); params.set("wait", "25"); }
  const view = await api(`/control/groups/${desk.groupId}/messages?${params}`);
  if (thread !== desk.thread) { return; }
  desk.version = view.version;
  renderDesk(view);
  if (desk.thread !== thread) { await refreshDesk(false); }  // a topic was chosen for us: show its messages
}

async function pollDesk() {
  if (desk.polling) { return; }
  desk.polling = true;
  for (;;) {
    try { await refreshDesk(true); } catch (error) { await new Promise((r) => setTimeout(r, 1000)); }
  }
}

function deskError(text) {
  const error = $("desk-error");
  error.textContent = text || "";
  error.hidden = !text;
}

async function selectTopic(threadId) {
  desk.thread = threadId;
  deskError("");
  $("desk-messages").replaceChildren();
  await refreshDesk(false);
  $("desk-messages").scrollTop = $("desk-messages").scrollHeight;
}

async function postAsStaff(event) {
  event.preventDefault();
  const input = $("desk-input");
  const text = input.value;
  if (!text.trim() || desk.thread === null) { return; }
  try {
    await api(`/control/groups/${desk.groupId}/messages`,
      { user_id: Number($("desk-staff").value), text, thread_id: desk.thread });
    input.value = "";
    deskError("");
  } catch (error) { deskError(String(error.message)); }
}

async function sendPhotoAsStaff(file) {
  if (desk.thread === null) { return; }
  const input = $("desk-input");
  try {
    await upload(`/control/groups/${desk.groupId}/photo`, file,
      { user_id: $("desk-staff").value, thread_id: desk.thread, caption: input.value.trim() });
    input.value = "";
    deskError("");
  } catch (error) { deskError(String(error.message)); }
}

async function toggleBot() {
  const group = desk.group;
  if (!group) { return; }
  const present = group.bot_status === "administrator" || group.bot_status === "member";
  try {
    await api(`/control/groups/${desk.groupId}/bot`,
      { status: present ? "kicked" : "administrator", by: Number($("desk-staff").value) });
    deskError("");
  } catch (error) { deskError(String(error.message)); }
}

async function setUpDesk() {
  const groups = await api("/control/groups");
  const group = groups.find((g) => g.is_forum);
  if (!group || desk.groupId !== null) { return; }  // no desk: the page is the chat alone, as before
  desk.groupId = group.id;
  $("desk").hidden = false;
  await refreshDesk(false);
  pollDesk();
}

// Look for a desk group: at start, then whenever the chat's long poll sees a change (no polling of its own). A
// look asked for while one is under way runs again after it, so a group created meanwhile is not missed.
const deskSearch = { running: false, again: false };

async function findDesk() {
  if (deskSearch.running) { deskSearch.again = true; return; }
  deskSearch.running = true;
  try {
    do {
      deskSearch.again = false;
      try { await setUpDesk(); } catch (error) { /* the chat works without the desk pane */ }
    } while (deskSearch.again && desk.groupId === null);
  } finally { deskSearch.running = false; }
}

async function init() {
  const config = await api("/control/config");
  $("bot-name").textContent = config.bot_name || "Bot";
  document.title = (config.bot_name || "Bot") + " preview";
  const select = $("language");
  for (const language of config.languages) {
    const option = document.createElement("option");
    option.value = language.code;
    option.textContent = language.name + " (" + language.code + ")";
    select.append(option);
  }
  select.addEventListener("change", () => chooseLanguage(select.value));
  $("composer").addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = $("text").value;
    if (!text.trim()) { return; }
    $("text").value = "";
    await state.ready;
    await api(`/control/users/${state.userId}/messages`, { text });
  });
  setUpPhotoButton($("attach-photo"), $("photo-input"), async (file) => {
    try {
      await upload(`/control/users/${state.userId}/photo`, file, { caption: $("text").value.trim() });
      $("text").value = "";
    } catch (error) { showAnswer({ text: String(error.message), show_alert: false }); }
  });
  $("desk-composer").addEventListener("submit", postAsStaff);
  $("desk-bot-toggle").addEventListener("click", toggleBot);
  setUpPhotoButton($("desk-attach-photo"), $("desk-photo-input"), sendPhotoAsStaff);
  $("start").addEventListener("click", async () => {
    await state.ready;
    await api(`/control/users/${state.userId}/start`, { payload: $("payload").value.trim() });
  });
  $("reset").addEventListener("click", async () => {
    await state.ready;
    await api(`/control/users/${state.userId}/reset`, {});
  });
  setUpLocationDialog();
  await chooseLanguage(select.value);
  pollForever();
  await findDesk();
}

init();
