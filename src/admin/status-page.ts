/**
 * The status page served at `GET /`: the data of `GET /status` for people, in one self-contained
 * HTML document (inline CSS and script, no build step, no external assets).
 */

const STYLE = `
[hidden] { display: none !important; }
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1d232a; background: #f6f7f9; }
h1 { font-size: 1.3rem; margin: 0 0 .75rem; }
h2 { font-size: 1rem; margin: 1.25rem 0 .4rem; }
table { border-collapse: collapse; background: #fff; min-width: 40%; }
th, td { border: 1px solid #d5d9de; padding: .25rem .55rem; text-align: left; vertical-align: top; }
th { background: #eceff3; font-weight: 600; white-space: nowrap; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
td.id { font: 12px ui-monospace, monospace; }
.msg { padding: .5rem .75rem; border-radius: 4px; margin: .5rem 0; }
.bad { background: #fde8e8; border: 1px solid #e3a0a0; }
.good { background: #e6f5ea; border: 1px solid #9fd1ad; }
.muted { color: #5d6773; }
form { background: #fff; border: 1px solid #d5d9de; padding: .75rem; display: inline-block; }
input { font: inherit; width: 22rem; }
`;

// The page's script: no template literals inside (this file's string is one).
const SCRIPT = `
'use strict';
var token = null;
var timer = null;
var $ = function (id) { return document.getElementById(id); };

function age(seconds) {
  var s = Math.max(0, Math.floor(seconds));
  if (s < 60) return s + 's';
  if (s < 3600) return Math.floor(s / 60) + 'm' + String(s % 60).padStart(2, '0') + 's';
  return Math.floor(s / 3600) + 'h' + String(Math.floor(s % 3600 / 60)).padStart(2, '0') + 'm';
}
function show(id, visible) { $(id).hidden = !visible; }
function message(text, kind) { var m = $('message'); m.textContent = text; m.className = 'msg ' + (kind || 'bad'); show('message', !!text); }

function table(id, headers, rows, numeric) {
  var t = $(id);
  t.textContent = '';
  var head = t.createTHead().insertRow();
  headers.forEach(function (h) { var th = document.createElement('th'); th.textContent = h; head.appendChild(th); });
  var body = t.createTBody();
  rows.forEach(function (row) {
    var tr = body.insertRow();
    row.forEach(function (cell, i) {
      var td = tr.insertCell();
      td.textContent = String(cell);
      if (numeric.indexOf(i) >= 0) td.className = 'n';
      if (i === 0) td.className = 'id';
    });
  });
  if (rows.length === 0) { var empty = body.insertRow().insertCell(); empty.colSpan = headers.length; empty.textContent = 'none'; empty.className = 'muted'; }
}

function render(s) {
  var ready = $('ready');
  ready.textContent = s.ready.ready ? 'Ready' : 'Not ready: ' + s.ready.reasons.join('; ');
  ready.className = 'msg ' + (s.ready.ready ? 'good' : 'bad');
  table('orchestrations', ['Orchestration', 'Minion', 'Pipeline', 'State', 'In flight', 'Buffered', 'Dropped', 'Resumed', 'Up', 'Error'],
    s.orchestrations.map(function (o) {
      return [o.orchestrationId, o.minionClass, o.pipelineClass, o.state, o.inflightWorkflows, o.bufferedEvents, o.droppedEvents,
        o.resumedWorkflows, o.startedAt ? age((Date.now() - Date.parse(o.startedAt)) / 1000) : '-', o.error ? o.error.type + ': ' + o.error.message : ''];
    }), [4, 5, 6, 7]);
  table('pipelines', ['Pipeline', 'Class', 'Subscribers', 'Ended'],
    s.pipelines.map(function (p) { return [p.identity, p.className, p.subscribers, p.ended ? 'yes' : 'no']; }), [2]);
  var classOf = {};
  s.resources.forEach(function (r) { classOf[r.identity] = r.className; });
  table('resources', ['Resource', 'Class', 'Refs', 'Depends on'],
    s.resources.map(function (r) {
      return [r.identity, r.className, r.refs, r.dependsOn.map(function (d) { return classOf[d] || d; }).join(', ') || '-'];
    }), [2]);
  var p = s.process;
  $('process').textContent = 'Process ' + p.pid + ', up ' + age(p.uptimeSeconds) + ', rss ' + (p.rssBytes / 1048576).toFixed(1) +
    ' MiB, node ' + p.nodeVersion + '. Updated ' + new Date().toLocaleTimeString() + '.';
  show('content', true);
}

function askToken(text) {
  token = null;
  clearTimeout(timer);
  show('content', false);
  show('login', true);
  message(text, 'bad');
  $('token').focus();
}

async function refresh() {
  var r;
  try {
    r = await fetch('status', { headers: { authorization: 'Bearer ' + token }, cache: 'no-store' });
  } catch (e) {
    message('Cannot reach the server at ' + location.origin + ' (' + e.message + '): is the process running? Retrying every 2 s.');
    timer = setTimeout(refresh, 2000);
    return;
  }
  if (r.status === 401) return askToken('The token was refused (401): enter the token from the process\\'s admin.token file.');
  var body = null;
  try { body = await r.json(); } catch (e) { body = null; }
  if (!r.ok || !body) {
    var why = body && body.error ? body.error.code + ': ' + body.error.message : 'the answer is not the status JSON';
    message('GET /status failed with ' + r.status + ' (' + why + '). Retrying every 2 s.');
  } else {
    try {
      render(body);
      message('');
    } catch (e) {
      message('The status could not be shown: ' + e.message + '. Retrying every 2 s.');
    }
  }
  timer = setTimeout(refresh, 2000);
}

$('login').addEventListener('submit', function (event) {
  event.preventDefault();
  token = $('token').value.trim();
  $('token').value = '';
  if (!token) return;
  show('login', false);
  message('');
  refresh();
});
`;

const BODY = `
<h1>Minions status</h1>
<form id="login" autocomplete="off">
  <label for="token">Admin token (the process's <code>admin.token</code> file):</label><br>
  <input id="token" name="token" type="password" autocomplete="off" autofocus> <button type="submit">Show status</button>
</form>
<div id="message" class="msg bad" role="alert" hidden></div>
<div id="content" hidden>
  <div id="ready" class="msg"></div>
  <h2>Orchestrations</h2><table id="orchestrations"></table>
  <h2>Pipelines</h2><table id="pipelines"></table>
  <h2>Resources</h2><table id="resources"></table>
  <p id="process" class="muted"></p>
</div>
`;

/**
 * The status page: readiness, the orchestrations (state, in flight, buffered, dropped, resumed),
 * pipelines and resources (with references and dependencies) of `GET /status`, refreshed every
 * 2 s. It asks for the admin token once and keeps it in a script variable only (no storage, no
 * cookie, no URL); it asks again on 401 and says so when the server cannot be reached. Data enters
 * the page only as text (`textContent`).
 */
export function statusPageHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Minions status</title>
<style>${STYLE}</style>
</head>
<body>${BODY}<script>${SCRIPT}</script>
</body>
</html>
`;
}
