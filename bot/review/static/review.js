// Review mode of the preview (python -m bot preview --review LOCALE): under each message of the bot, the texts of
// the language it shows, with their English and, per text, "Looks right" or "Edit". Added to the chat page; the
// chat page's own script is unchanged. Text is set with textContent only, never injected as markup.
"use strict";

const review = {
  locale: document.querySelector('meta[name="review-locale"]').content,
  matches: new Map(),  // message text and buttons -> the texts it shows (a promise)
  results: new Map(),  // text id -> [class, words] of its last verdict: kept when the chat is drawn again
};

function showResult(result, id, className, words) {
  review.results.set(id, [className, words]);
  result.className = "review-result " + className;
  result.textContent = words;
}

function reviewer() { return $("review-name").value.trim(); }

function reviewBar() {
  const bar = document.createElement("div");
  bar.id = "review-bar";
  bar.dataset.testid = "review-bar";
  const title = document.createElement("strong");
  title.textContent = "Reviewing " + review.locale + ": read each text as a reader would.";
  const label = document.createElement("label");
  label.textContent = "Reviewer ";
  const name = document.createElement("input");
  name.id = "review-name";
  name.dataset.testid = "review-name";
  name.size = 14;
  name.placeholder = "initials or name";
  name.value = localStorage.getItem("review-name") || document.querySelector('meta[name="review-reviewer"]').content;
  name.addEventListener("change", () => localStorage.setItem("review-name", name.value.trim()));
  label.append(name);
  bar.append(title, label);
  document.querySelector("header.bar").after(bar);
}

function messageKey(bubble) {
  const text = bubble.querySelector('[data-testid="message-text"]');
  const buttons = [...bubble.querySelectorAll('[data-testid="inline-button"]')].map((b) => b.textContent);
  return { text: text ? text.textContent : "", buttons };
}

function matchesOf(key) {
  const id = JSON.stringify(key);
  if (!review.matches.has(id)) {
    review.matches.set(id, api("/review/api/match", key).then((answer) => answer.texts));
  }
  return review.matches.get(id);
}

async function sendVerdict(bubble, text, verdict, corrected, result) {
  result.textContent = "Saving…";
  const body = {
    id: text.id, verdict, corrected, english_hash: text.english_hash, translation_hash: text.translation_hash,
    reviewer: reviewer(), node: text.node, user_id: state.userId, message_id: Number(bubble.dataset.messageId),
  };
  let answer;
  try { answer = await api("/review/api/verdict", body); }
  catch (error) { result.textContent = String(error.message); return; }
  review.matches.clear();  // statuses and texts changed
  if (answer.refused && answer.refused.length) {
    showResult(result, text.id, "refused", "Not saved: " + answer.refused.join("; "));
    return;
  }
  const words = verdict === "ok" ? "Signed off ✓" : "Saved ✓ the message reloads with your text";
  showResult(result, text.id, "saved", words);
  decorate(true);
}

function textRow(bubble, text) {
  const row = document.createElement("div");
  row.className = "review-text" + (text.reviewed ? " reviewed" : "");
  row.dataset.testid = "review-text";
  row.dataset.textId = text.id;
  const english = document.createElement("div");
  english.className = "review-english";
  english.dataset.testid = "review-english";
  english.dir = "ltr";
  english.textContent = "EN: " + text.english;
  const translated = document.createElement("div");
  translated.className = "review-translation";
  translated.dir = "auto";
  translated.textContent = text.translation;
  const status = document.createElement("div");
  status.className = "review-status";
  status.dataset.testid = "review-status";
  status.textContent = text.id + " · " + text.status;
  const actions = document.createElement("div");
  actions.className = "review-actions";
  const ok = document.createElement("button");
  ok.type = "button";
  ok.dataset.testid = "review-ok";
  ok.textContent = "✓ Looks right";
  const edit = document.createElement("button");
  edit.type = "button";
  edit.dataset.testid = "review-edit";
  edit.textContent = "✎ Edit";
  const result = document.createElement("div");
  result.className = "review-result";
  result.dataset.testid = "review-result";
  result.setAttribute("role", "status");
  if (review.results.has(text.id)) {
    const [className, words] = review.results.get(text.id);
    result.className = "review-result " + className;
    result.textContent = words;
  }
  ok.addEventListener("click", () => sendVerdict(bubble, text, "ok", "", result));
  edit.addEventListener("click", () => {
    const editor = document.createElement(text.multiline ? "textarea" : "input");
    editor.dataset.testid = "review-editor";
    editor.className = "review-editor";
    editor.dir = "auto";
    editor.value = text.translation;
    if (text.multiline) { editor.rows = Math.min(12, text.translation.split("\n").length + 2); }
    const save = document.createElement("button");
    save.type = "button";
    save.dataset.testid = "review-save";
    save.textContent = "Save";
    save.addEventListener("click", () => sendVerdict(bubble, text, "changed", editor.value, result));
    actions.replaceChildren(editor, save);
    editor.focus();
  });
  actions.append(ok, edit);
  row.append(english, translated, status, actions, result);
  return row;
}

async function decorateBubble(bubble) {
  if (bubble.querySelector(".review-panel")) { return; }
  const texts = await matchesOf(messageKey(bubble));
  if (!texts.length || bubble.querySelector(".review-panel") || !bubble.isConnected) { return; }
  const panel = document.createElement("div");
  panel.className = "review-panel";
  panel.dataset.testid = "review-panel";
  for (const text of texts) { panel.append(textRow(bubble, text)); }
  bubble.append(panel);
}

function decorate(again) {
  for (const bubble of document.querySelectorAll('#chat [data-testid="bot-message"]')) {
    if (again) { bubble.querySelectorAll(".review-panel").forEach((panel) => panel.remove()); }
    decorateBubble(bubble).catch(() => {});
  }
}

function startReview() {
  reviewBar();
  new MutationObserver(() => decorate(false)).observe($("chat"), { childList: true });
  const select = $("language");
  const code = review.locale.replace("_", "-");
  const choose = () => {
    if ([...select.options].some((o) => o.value === code) && select.value !== code) {
      select.value = code;
      select.dispatchEvent(new Event("change"));
      return true;
    }
    return select.value === code;
  };
  if (!choose()) {  // the languages arrive with the page's config: wait for them
    const wait = new MutationObserver(() => { if (choose()) { wait.disconnect(); } });
    wait.observe(select, { childList: true });
  }
}

startReview();
