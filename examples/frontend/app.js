// Renders a zhiping.outcome/1 document: status, each subject's votes, grade, pay and
// actions, and the explanation (findings, then each decision of the trace) in zh or en.
const WORDS = {
  zh: { valid: "有效", void: "无效,须重新组织直评", subject: "测评对象", votes: "有效票", grade: "等次",
        pay: "绩效报酬(元)", actions: "处理", findings: "发现", none: "无", why: "决定过程", session: "整场",
        organization: "村级党组织", excellent: "优秀", competent: "称职", basically_competent: "基本称职",
        incompetent: "不称职", organizational_adjustment: "组织调整",
        weak_organization_rectification: "软弱涣散党组织整顿" },
  en: { valid: "valid", void: "void: the session must be held again", subject: "subject", votes: "valid votes",
        grade: "grade", pay: "performance pay (yuan)", actions: "actions", findings: "findings", none: "none",
        why: "how it was decided", session: "the session", organization: "party organization" },
};
const word = (lang, id) => (id == null ? "—" : WORDS[lang][id] ?? id.replaceAll("_", " "));
const el = (tag, text, cls) => Object.assign(document.createElement(tag), { textContent: text ?? "", className: cls ?? "" });
const MARK = { true: "✓", false: "✗" }; // whether the rule's condition held
let outcome = null;

function render() {
  const lang = document.getElementById("lang").value, main = document.getElementById("outcome");
  if (!outcome) return;
  main.replaceChildren(el("h1", `${outcome.session} · ${outcome.packs.join(" ► ")}`),
    el("p", word(lang, outcome.status), outcome.status));
  const table = el("table"), head = table.insertRow();
  for (const key of ["subject", "votes", "grade", "pay", "actions"]) head.append(el("th", word(lang, key)));
  for (const s of outcome.subjects) {
    const row = table.insertRow();
    row.append(el("td", s.kind === "organization" ? word(lang, "organization") : s.id),
      el("td", s.valid_votes, "number"), el("td", word(lang, s.grade)),
      el("td", s.pay ? s.pay.amount : "—", "number"),
      el("td", s.actions.map((a) => word(lang, a.kind)).join(", ")));
  }
  const findings = el("ul");
  for (const f of outcome.findings) findings.append(el("li", `[${f.severity}] ${f.rule}: ${f.message[lang]}`));
  if (!outcome.findings.length) findings.append(el("li", word(lang, "none")));
  main.append(table, el("h2", word(lang, "findings")), findings, el("h2", word(lang, "why")));
  for (const subject of [null, ...outcome.subjects.map((s) => s.id)]) {
    const details = el("details"), list = el("ol");
    details.append(el("summary", subject === null ? word(lang, "session") : subject === "organization" ? word(lang, subject) : subject), list);
    for (const t of outcome.trace.filter((t) => t.subject === subject))
      list.append(el("li", `${MARK[t.fulfilled] ?? "·"} [${t.stage}] ${t.rule} (${t.pack}): ${t.message[lang]}`));
    main.append(details);
  }
}

document.getElementById("lang").addEventListener("change", render);
document.getElementById("file").addEventListener("change", async (event) => {
  outcome = JSON.parse(await event.target.files[0].text());
  render();
});
// Served next to an outcome.json (the live demo of the documentation site), show it at once.
fetch("outcome.json").then((r) => (r.ok ? r.json() : null)).then((o) => { if (o) { outcome = o; render(); } }, () => {});
