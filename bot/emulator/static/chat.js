// Offline Telegram-like chat page for the Bot API emulator. No external resources; bot HTML is rendered
// from message entities with DOM nodes (textContent only), never injected as markup.
"use strict";

const state = {
  userId: null, version: -1, answersSeen: 0, polling: false, noticeAt: null,
  keyboard: null, keyboardId: null, keyboardOpen: false,
};
// Places a tester can share with one click (what a request_location button sends from a phone).
const PLACES = [
  ["Kuala Lumpur", 3.139, 101.687], ["Bangkok", 13.756, 100.502], ["Riyadh", 24.713, 46.675],
  ["Jakarta", -6.2, 106.816], ["Manila", 14.599, 120.984], ["Dubai", 25.205, 55.271],
];
const $ = (id) => document.getElementById(id);

async function api(path, body) {
  const init = body === undefined ? {} : {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  };
  const response = await fetch(path, init);
  const data = await response.json();
  if (!response.ok) { throw new Error(data.error || response.statusText); }
  return data;
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
  await api("/control/users", { id: state.userId, first_name: "Preview", language_code: language });
  state.version = -1;
  state.answersSeen = 0;
  await refresh(false);
}

const ENTITY_TAGS = {
  bold: "b", italic: "i", underline: "u", strikethrough: "s", code: "code", pre: "pre",
  blockquote: "blockquote", expandable_blockquote: "blockquote", spoiler: "span", text_link: "a",
  url: "a", text_mention: "a", custom_emoji: "span", date_time: "span",
};

function elementFor(entity, text) {
  const el = document.createElement(ENTITY_TAGS[entity.type] || "span");
  if (entity.type === "spoiler") {
    el.className = "tg-spoiler";
    el.addEventListener("click", () => el.classList.add("shown"));
  }
  const href = entity.type === "text_link" ? entity.url : entity.type === "url" ? text : null;
  if (href && /^(https?:|tg:)/i.test(href)) { el.href = href; el.target = "_blank"; el.rel = "noopener"; }
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
    const media = document.createElement("div");
    media.className = "media";
    media.dataset.testid = "media";
    media.textContent = "[" + message.media.kind + (message.media.file_name ? ": " + message.media.file_name : "") + "]";
    bubble.append(media);
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

function render(view) {
  showNotice(view.notice);
  renderReplyKeyboard(view.reply_keyboard);
  const chat = $("chat");
  const atBottom = chat.scrollHeight - chat.scrollTop - chat.clientHeight < 40;
  chat.replaceChildren(...view.messages.map(renderMessage));
  for (const answer of view.callback_answers.slice(state.answersSeen)) { showAnswer(answer); }
  state.answersSeen = view.callback_answers.length;
  if (atBottom) { chat.scrollTop = chat.scrollHeight; }
}

async function refresh(wait) {
  const userId = state.userId;
  const query = wait ? `?after=${state.version}&wait=25` : "";
  const view = await api(`/control/users/${userId}/chat${query}`);
  if (userId === state.userId && view.version !== state.version) { state.version = view.version; render(view); }
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
    await api(`/control/users/${state.userId}/messages`, { text });
  });
  $("start").addEventListener("click", () =>
    api(`/control/users/${state.userId}/start`, { payload: $("payload").value.trim() }));
  $("reset").addEventListener("click", () => api(`/control/users/${state.userId}/reset`, {}));
  setUpLocationDialog();
  await chooseLanguage(select.value);
  pollForever();
}

init();
