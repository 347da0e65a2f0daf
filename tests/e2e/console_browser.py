#!/usr/bin/env python3
"""End-to-end test of the committee console (SPEC §12) in headless Chromium.

    console_browser.py --binary build/loudong [--screenshots DIR]

Starts the server on a free port with a temporary database, seeds a compound through signed
chat messages (/hook/generic, as `loudong say`), logs in with the one-time link, loads every
console page on a 360-px phone (status, title, h1, horizontal overflow, console and CSP
errors), prints the labels page to PDF and reads it back with pdftotext (every label, order,
no label split across pages, page count), and tries a used link, no cookie and a forged form.
The browser is driven over the DevTools protocol with the small websocket client below.

Exit 0: all passed; 1: a check failed (each printed as "FAIL area: ..."); 77: no chromium or
pdftotext. Standard library only.
"""
import argparse, base64, hashlib, hmac, itertools, json, math, os, re, shutil, socket
import signal, subprocess, sys, tempfile, threading, time, urllib.error, urllib.request

SECRET = "s3"
FAILS = []


def check(ok, area, message):
    """Records and prints a failed check; returns ok."""
    if not ok:
        FAILS.append(f"{area}: {message}")
        print(f"FAIL {area}: {message}", flush=True)
    return ok


# ------------------------------------------------------------------ server and chat messages

def start_server(binary, workdir):
    """Starts loudong on a free port with a fresh database; returns (process, base URL)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base, conf = f"http://127.0.0.1:{port}", os.path.join(workdir, "loudong.json")
    with open(conf, "w") as f:
        json.dump({"port": port, "db": os.path.join(workdir, "w.db"), "public_url": base,
                   "committee": ["generic:u-admin"], "generic": {"secret": SECRET}}, f)
    log = open(os.path.join(workdir, "server.log"), "wb")
    proc = subprocess.Popen([binary, "--config", conf], stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 15
    while time.time() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=1) as r:
                if r.status == 200:
                    return proc, base
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError(f"server did not answer /healthz (exit {proc.poll()})")


_ids = itertools.count(1)


def say(base, chat, user, text, name=None, private=False):
    """Sends one chat message signed as bot/say_client.cpp does; returns the replies' text."""
    body = {"message_id": f"e2e-{next(_ids)}", "chat_id": chat, "sender": {"id": user},
            "text": text, "time": int(time.time())}
    if name:
        body["sender"]["name"] = name
    if private:
        body["private"] = True
    payload = json.dumps(body, ensure_ascii=False).encode()
    sig = hmac.new(SECRET.encode(), payload, hashlib.sha256).hexdigest()
    req = urllib.request.Request(base + "/hook/generic", payload, method="POST", headers={
        "Content-Type": "application/json", "X-Loudong-Signature": "sha256=" + sig})
    with urllib.request.urlopen(req, timeout=10) as r:
        return "\n".join(x["text"] for x in json.load(r)["replies"])


# 30 households more than the brief's four: 34 labels, two A4 sheets; 3-1502 after 3-502 and
# 12-201 after 5-2001 only when sorted as numbers.
EXTRA_ROOMS = {"3": "101 201 302 803 901 1001 1101 1202 1501 1502".split(),
               "5": "201 301 402 601 702 1001 1102 1401 1501 2001".split(),
               "12": "101 201 301 401 502 602 902 1002 1101 1601".split()}


def seed(base):
    """Builds the compound; returns ({order number: (building, room)}, {cancelled numbers})."""
    orders = {}

    def expect(reply, word, what):
        check(word in reply, "seed", f"{what}: expected {word!r} in the reply {reply!r}")
        return reply

    def order(b, r, text):
        reply = expect(say(base, f"g{b}", f"u-{b}-{r}", text), "下单成功", f"{b}-{r} {text}")
        m = re.search(r"单号(\d+)", reply)
        if m:
            orders[int(m.group(1))] = (b, r)
        return int(m.group(1)) if m else None

    expect(say(base, "c", "u-admin", "绑定 居委会", name="李主任"), "居委会", "bind the committee chat")
    for b in ("3", "5", "12"):
        expect(say(base, f"g{b}", "u-admin", f"绑定 {b}号楼"), f"{b}号楼", f"bind g{b}")
    expect(say(base, "c", "u-admin", "楼栋 3号楼 房号 501 502 601 701"), "新增", "rooms of 3")
    expect(say(base, "c", "u-admin", "楼栋 5号楼 房号 101 1201"), "新增", "rooms of 5")
    for b, rooms in EXTRA_ROOMS.items():
        more = " ".join(rooms + (["1802"] if b == "12" else []))
        expect(say(base, "c", "u-admin", f"楼栋 {b}号楼 房号 {more}"), "新增", f"rooms of {b}")
    people = [("3", "502", "王阿姨"), ("3", "601", "张叔"), ("5", "1201", "赵姐"), ("3", "701", "")]
    people += [(b, r, f"住户{b}-{r}") for b, rooms in EXTRA_ROOMS.items() for r in rooms]
    for b, r, name in people + [("12", "1802", "退单的")]:
        expect(say(base, f"g{b}", f"u-{b}-{r}", f"登记 {b}-{r}", name), "已登记", f"{b}-{r}")
    expect(say(base, "c", "u-admin", "备注 3-502 独居老人，需送上门"), "独居老人", "note")
    expect(say(base, "c", "u-admin", "开团 华联超市 截单 23:59"), "1团 华联超市", "campaign")
    expect(say(base, "c", "u-admin", "上架 鸡蛋 15.8 100 盒"), "已上架", "eggs")
    expect(say(base, "c", "u-admin", "上架 大米 45 50 袋"), "已上架", "rice")
    expect(say(base, "c", "u-admin", "发布任务 物资搬运 明天 14:00-16:00 6"), "已发布", "task")
    order("3", "502", "下单 鸡蛋 2 大米 1")
    order("3", "601", "下单 鸡蛋 1")
    order("5", "1201", "下单 大米 2")
    order("3", "701", "下单 大米 1")
    for i, (b, r, _) in enumerate(people[4:]):
        order(b, r, "下单 鸡蛋 1" if i % 2 else "下单 大米 1 鸡蛋 3")
    gone = order("12", "1802", "下单 鸡蛋 1")
    expect(say(base, "g12", "u-12-1802", f"取消 {gone}"), "已取消", "cancel an order")
    expect(say(base, "c", "u-admin", "开团 蔬菜包"), "2团 蔬菜包", "a campaign with no deadline")
    return orders, {gone}


# ------------------------------------------------------------------ websocket and DevTools

class WebSocket:
    """The client side of RFC 6455, as much as DevTools needs: text messages, ping, close."""

    def __init__(self, url):
        host, port, path = re.match(r"ws://([^/:]+):(\d+)(/.*)", url).groups()
        self.sock = socket.create_connection((host, int(port)), timeout=10)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                           "Sec-WebSocket-Version: 13\r\n\r\n").encode())
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            self.buf += self._recv()
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        accept = base64.b64encode(hashlib.sha1(
            (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest())
        if b" 101 " not in head.split(b"\r\n")[0] or accept not in head:
            raise RuntimeError("websocket handshake refused: " + head.decode(errors="replace"))

    def _recv(self):
        data = self.sock.recv(1 << 20)
        if not data:
            raise ConnectionError("DevTools closed the connection")
        return data

    def _send_frame(self, opcode, payload):
        """Sends one final frame, masked as every client frame must be."""
        n, mask = len(payload), os.urandom(4)
        head = bytes([0x80 | opcode])
        if n < 126:
            head += bytes([0x80 | n])
        elif n < 65536:
            head += bytes([0x80 | 126]) + n.to_bytes(2, "big")
        else:
            head += bytes([0x80 | 127]) + n.to_bytes(8, "big")
        keys = int.from_bytes((mask * (n // 4 + 1))[:n], "big")
        masked = (int.from_bytes(payload, "big") ^ keys).to_bytes(n, "big") if n else b""
        self.sock.sendall(head + mask + masked)

    def send(self, text):
        self._send_frame(0x1, text.encode())

    def _frame(self):
        """Takes one whole frame off the buffer as (fin, opcode, payload), or None."""
        b = self.buf
        if len(b) < 2:
            return None
        n, at = b[1] & 0x7F, 2
        if n >= 126:
            at = 4 if n == 126 else 10
            if len(b) < at:
                return None
            n = int.from_bytes(b[2:at], "big")
        mask = b[at:at + 4] if b[1] & 0x80 else None
        at += 4 if mask else 0
        if len(b) < at + n:
            return None
        payload, self.buf = b[at:at + n], b[at + n:]
        if mask:
            payload = bytes(c ^ mask[i % 4] for i, c in enumerate(payload))
        return bool(b[0] & 0x80), b[0] & 0x0F, payload

    def receive(self, timeout):
        """The next whole message (continuation frames joined); socket.timeout if none came."""
        self.sock.settimeout(max(timeout, 0.01))
        parts = []
        while True:
            frame = self._frame()
            if frame is None:
                self.buf += self._recv()
            elif frame[1] == 0x9:
                self._send_frame(0xA, frame[2])
            elif frame[1] == 0x8:
                raise ConnectionError("DevTools closed the websocket")
            elif frame[1] in (0x0, 0x1, 0x2):
                parts.append(frame[2])
                if frame[0]:
                    return b"".join(parts).decode()


class Browser:
    """Headless Chromium's page over CDP: commands, events, console errors, HTTP statuses."""

    def __init__(self, profile):
        self.proc = subprocess.Popen(
            ["chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-dev-shm-usage", "--remote-debugging-port=0", f"--user-data-dir={profile}",
             "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            start_new_session=True)
        url, deadline = None, time.time() + 20
        while url is None and time.time() < deadline and self.proc.poll() is None:
            m = re.search(r"DevTools listening on (ws://\S+)", self.proc.stderr.readline())
            url = m and m.group(1)
        if url is None:
            raise RuntimeError("chromium did not print 'DevTools listening on ws://...'")
        threading.Thread(target=self.proc.stderr.read, daemon=True).start()  # keep it drained
        self.ws, self.ids = WebSocket(url), itertools.count(1)
        self.events, self.errors, self.documents = [], [], []
        pages = [t for t in self.call("Target.getTargets")["targetInfos"] if t["type"] == "page"]
        target = (pages[0]["targetId"] if pages else
                  self.call("Target.createTarget", {"url": "about:blank"})["targetId"])
        self.session = self.call("Target.attachToTarget",
                                 {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Network", "Runtime", "Log"):
            self.call(domain + ".enable", page=True)

    def _keep(self, msg):
        """Keeps an event, noting console errors, CSP reports and the documents' statuses."""
        method, p = msg.get("method"), msg.get("params", {})
        if method == "Runtime.consoleAPICalled" and p["type"] in ("error", "assert"):
            self.errors.append(f"console.{p['type']}: " + " ".join(
                str(a.get("value", a.get("description", ""))) for a in p["args"]))
        elif method == "Runtime.exceptionThrown":
            self.errors.append("exception: " + p["exceptionDetails"].get("text", ""))
        elif method == "Log.entryAdded":
            e = p["entry"]
            if e["level"] == "error" or "Content Security Policy" in e["text"]:
                self.errors.append(f"{e['source']}: {e['text']} {e.get('url', '')}")
        elif method == "Network.responseReceived" and p["type"] == "Document":
            self.documents.append(p["response"]["status"])
        self.events.append(msg)

    def call(self, method, params=None, page=False, timeout=15):
        """Sends a command (to the page's session if page) and returns its result."""
        mid = next(self.ids)
        msg = {"id": mid, "method": method, "params": params or {}}
        if page:
            msg["sessionId"] = self.session
        self.ws.send(json.dumps(msg))
        deadline = time.time() + timeout
        while True:
            reply = json.loads(self.ws.receive(deadline - time.time()))
            if reply.get("id") == mid:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]
            if "method" in reply:
                self._keep(reply)

    def wait_event(self, method, timeout=15):
        """Waits for (and takes) the next kept event named method."""
        deadline = time.time() + timeout
        while True:
            for i, e in enumerate(self.events):
                if e["method"] == method:
                    return self.events.pop(i)["params"]
            if time.time() > deadline:
                raise TimeoutError(f"no {method} within {timeout} s")
            try:
                self._keep(json.loads(self.ws.receive(deadline - time.time())))
            except socket.timeout:
                pass

    def js(self, expression):
        """Evaluates an expression in the page; returns its value."""
        r = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True},
                      page=True)
        if "exceptionDetails" in r:
            raise RuntimeError(f"page script failed: {r['exceptionDetails']}")
        return r["result"].get("value")

    def load(self, action):
        """Runs action (navigate, click), waits for the page's load; returns its HTTP status."""
        self.events, self.documents, self.errors = [], [], []
        action()
        self.wait_event("Page.loadEventFired")
        return self.documents[-1] if self.documents else None

    def goto(self, url):
        return self.load(lambda: self.call("Page.navigate", {"url": url}, page=True))

    def click(self, selector):
        return self.load(lambda: self.js(f"document.querySelector({json.dumps(selector)}).click()"))

    def title(self):
        return self.js("document.title")

    def viewport(self, width, height, scale=1):
        """Emulates a phone of this CSS size."""
        self.call("Emulation.setDeviceMetricsOverride", {"width": width, "height": height,
                  "deviceScaleFactor": scale, "mobile": True}, page=True)

    def close(self):
        """Asks Chromium to quit, then kills its process group (its own children) if it lingers."""
        try:
            self.call("Browser.close", timeout=3)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()


# ------------------------------------------------------------------ the checks

# Elements past a 360-px screen's right edge, but for tables in their .scroll box and the
# labels' A4 sheets (print previews 210 mm wide by design); and separators left dangling.
LAYOUT_JS = """(() => {
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('.scroll, .sheet')) continue;
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > 360.5)
      wide.push(el.tagName.toLowerCase() + (el.className ? '.' + el.className : '') + ' to ' +
                Math.round(r.right) + 'px');
  }
  const sheet = document.querySelector('.sheet');
  const lines = (document.title + '\\n' + document.body.innerText).split('\\n');
  return {width: sheet ? 0 : document.documentElement.scrollWidth, wide: wide.slice(0, 4),
          dangling: lines.filter(l => /(^|·)\\s*·|·\\s*$/.test(l.trim())).slice(0, 3)};
})()"""

PAGES = [("/console", r"概览 \d{4}-\d\d-\d\d"), ("/console/households", "住户"),
         ("/console/households?building=3", "住户 · 3号楼"),
         ("/console/orders", "团购 · 2团 蔬菜包"), ("/console/orders?campaign=1", "团购 · 1团 华联超市"),
         ("/console/labels?campaign=1", r"1团 华联超市 标签 共\d+张，只含待送订单"),
         ("/console/labels?campaign=1&building=3", r"1团 华联超市 标签 · 3号楼 共\d+张，只含待送订单"),
         ("/console/tasks", "任务"), ("/console/notices", "通知"), ("/console/templates", "回复模板")]


def page_ok(browser, path, h1, status):
    """One loaded page: status, title, h1, overflow at 360 px, console and CSP errors."""
    title = browser.title()
    check(status == 200, path, f"HTTP {status}")
    check(not title.startswith(("请先登录", "没有权限", "登录已失效")), path, f"title {title!r}")
    got = browser.js("(document.querySelector('h1') || {}).innerText || ''").replace("\n", " ")
    check(re.fullmatch(h1, got.strip()), path, f"h1 {got!r}, expected /{h1}/")
    found = browser.js(LAYOUT_JS)
    check(found["width"] <= 360 and not found["wide"], path,
          f"wider than a 360-px screen: scrollWidth {found['width']}, {found['wide']}")
    check(not found["dangling"], path, f"dangling '·' (an empty section): {found['dangling']}")
    check(not browser.errors, path, f"console errors: {browser.errors}")


def login(browser, base, link):
    """Opens the one-time link, presses its button; checks /console and the session cookie."""
    status = browser.goto(link)
    check(status == 200 and browser.title().startswith("登录控制台"), "login",
          f"link page: HTTP {status}, title {browser.title()!r}")
    status, href = browser.click("form button"), browser.js("location.href")
    check(status == 200 and href == base + "/console/", "login", f"button led to {href}, {status}")
    cookies = browser.call("Network.getCookies", {"urls": [base + "/console"]}, page=True)
    c = next((c for c in cookies["cookies"] if c["name"] == "loudong_console"), {})
    check(c.get("httpOnly") and c.get("sameSite") == "Strict" and c.get("path") == "/console",
          "login", f"session cookie {c}")


def overview(browser):
    """The overview's building rows (3, 5, 12, each name on one line) and the campaign."""
    cells = browser.js("""[...document.querySelectorAll('main table')[0].querySelectorAll(
        'tbody td:first-child')].map(td => { const r = document.createRange();
        r.selectNodeContents(td); return [td.innerText, new Set([...r.getClientRects()]
        .map(x => Math.round(x.top))).size]; })""")
    check([t for t, _ in cells] == ["3号楼", "5号楼", "12号楼", "合计"], "overview", f"rows {cells}")
    broken = [t for t, lines in cells if lines > 1]
    check(not broken, "overview", f"at 360 px these first-column cells wrap, a character a line: "
          f"{broken}")
    text = browser.js("document.querySelector('main').innerText")
    check("1团 华联超市" in text and "2团 蔬菜包" in text, "overview", "open campaigns missing")
    check(not re.search(r"^截单(\t|$)", text, re.M), "overview",
          "a campaign with no deadline shows a bare '截单' (an empty section)")


def labels_in(browser):
    """The loaded labels page's labels in document order: [(number, building, room)]."""
    raw = browser.js("[...document.querySelectorAll('.label')].map(l => "
                     "[l.querySelector('.num').innerText, l.querySelector('.addr').innerText])")
    out = []
    for num, addr in raw:
        m = re.fullmatch(r"(\S+)号楼 (\S+)", addr.strip())
        out.append((int(num.lstrip("#")),) + (m.groups() if m else ("?", addr)))
    return out


def natural(label):
    """The labels' order: building, then room, both as numbers."""
    _, b, r = label
    return (int(b) if b.isdigit() else 1 << 30, b, int(r) if r.isdigit() else 1 << 30, r)


def labels_pages(browser, base, expected):
    """Both labels pages: the right orders, in order; the print button passes the CSP."""
    browser.goto(base + "/console/labels?campaign=1")
    got = labels_in(browser)
    check(f"共{len(got)}张" in browser.js("document.querySelector('h1').innerText"), "labels",
          f"the heading's count is not the {len(got)} labels shown")
    numbers = sorted(n for n, _, _ in got)
    check(numbers == sorted(expected), "labels", f"labels {numbers}, orders {sorted(expected)}")
    check(all(expected.get(n) == (b, r) for n, b, r in got), "labels", f"wrong rooms in {got}")
    check(got == sorted(got, key=natural), "labels",
          "not by building and room: " + " ".join(f"{b}-{r}" for _, b, r in got))
    printed = browser.js("window.print = () => { window.printed = true }; "
                         "document.querySelector('.bar button').click(); !!window.printed")
    check(printed and not browser.errors, "labels", f"print button blocked: {browser.errors}")
    browser.goto(base + "/console/labels?campaign=1&building=3")
    three = labels_in(browser)
    check(three == [x for x in got if x[1] == "3"], "labels building=3", f"got {three}")
    return got


def label_cells(pdf):
    """{order number: sheet cell} from where each "#N" is printed (pdftotext -bbox): cell
    page * 24 + row * 3 + column of the 3 x 8 grid."""
    html = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True, text=True,
                          check=True).stdout
    cells = {}
    for p, page in enumerate(html.split("<page ")[1:]):
        size = re.match(r'width="([\d.]+)" height="([\d.]+)"', page)
        column, row = float(size.group(1)) / 3, float(size.group(2)) / 8
        for x, y, n in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>#(\d+)<', page):
            cells[int(n)] = p * 24 + int(float(y) // row) * 3 + int(float(x) // column)
    return cells


def pdf_checks(browser, base, expected, cancelled, workdir):
    """Prints the labels page to PDF and reads every order back; returns (PDF path, pages)."""
    labels = sorted(((n, b, r) for n, (b, r) in expected.items()), key=natural)
    browser.call("Emulation.clearDeviceMetricsOverride", page=True)
    browser.goto(base + "/console/labels?campaign=1")
    data = browser.call("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": False},
                        page=True, timeout=30)["data"]
    pdf = os.path.join(workdir, "labels.pdf")
    with open(pdf, "wb") as f:
        f.write(base64.b64decode(data))
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = [p.split("\n") for p in text.split("\f")[:text.count("\f")]]
    if not check("号楼" in text, "pdf", "no Chinese in the PDF's text: a font problem "
                 "(apt install fonts-noto-cjk or fonts-wqy-zenhei)"):
        return pdf, len(pages)
    want = math.ceil(len(labels) / 24)
    check(len(pages) == want, "pdf", f"{len(pages)} pages for {len(labels)} labels, not {want}")

    def where(pattern):
        return [(p, ln) for p, lines in enumerate(pages) for ln, line in enumerate(lines)
                for _ in re.finditer(pattern, line)]
    for number, b, r in labels:
        num, addr = where(rf"#{number}(?!\d)"), where(rf"(?<!\d){b}号楼 {r}(?!\d)")
        if check(len(num) == 1 and len(addr) == 1, "pdf",
                 f"#{number} {b}号楼 {r}: number found {len(num)}x, address {len(addr)}x"):
            check(num[0][0] == addr[0][0], "pdf", f"#{number} {b}号楼 {r} split across pages "
                  f"{num[0][0] + 1}/{addr[0][0] + 1}")
    cells = label_cells(pdf)
    wrong = [f"#{n} {b}-{r} in cell {cells.get(n)}, not {i}" for i, (n, b, r) in enumerate(labels)
             if cells.get(n) != i]
    check(not wrong, "pdf", "labels not printed by building and room, 24 to a page: " +
          "; ".join(wrong[:4]))
    check("独居老人，需送上门" in text.replace(" ", ""), "pdf", "3-502's note is not on its label")
    for number in cancelled:
        check(not where(rf"#{number}(?!\d)"), "pdf", f"cancelled order #{number} has a label")
    return pdf, len(pages)


def status_of(base, path, body=None):
    """(status, body) of a request without any cookie."""
    try:
        with urllib.request.urlopen(urllib.request.Request(base + path, body), timeout=5) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def hostile(browser, base, link):
    """A used link, no cookie, a forged form are refused and change nothing; a real form does."""
    browser.goto(link)
    status = browser.click("form button")
    check(status == 410 and browser.title().startswith("链接已用过"), "hostile",
          f"the login link used twice: HTTP {status}, {browser.title()!r}")
    for path, body in (("/console", None), ("/console/act", b"csrf=x&command=x")):
        code, text = status_of(base, path, body)
        check(code == 401 and "请先登录" in text, "hostile", f"{path} without a cookie: {code}")
    fill = ("(t, csrf) => { const f = [...document.querySelectorAll('form.act')].find(f => "
            "f.querySelector('[name=prefix][value=\"备注\"]')); f.elements.namedItem('text')"
            ".value = t; if (csrf) f.elements.namedItem('csrf').value = csrf; "
            "f.querySelector('button').click(); }")
    for text, csrf, want in (("3-502 被人改掉的备注", "0" * 64, (403, "表单已失效")),
                             ("3-601 行动不便，放门口", "", (200, "已提交"))):
        browser.goto(base + "/console/households")
        status = browser.load(lambda: browser.js(f"({fill})({json.dumps(text)}, '{csrf}')"))
        check((status, browser.title()[:len(want[1])]) == want, "hostile",
              f"note form {'with a forged csrf' if csrf else '(control)'}: HTTP {status}, "
              f"{browser.title()!r}")
    browser.goto(base + "/console/households?building=3")
    notes = dict(browser.js("[...document.querySelectorAll('.scroll tbody tr')].map(r => "
                            "[r.cells[0].innerText.split(' ')[0], r.cells[3].innerText])"))
    check(notes.get("3-502") == "独居老人，需送上门", "hostile", f"3-502's note: {notes.get('3-502')!r}")
    check(notes.get("3-601") == "行动不便，放门口", "hostile", f"3-601's note: {notes.get('3-601')!r}")


def screenshots(browser, base, pdf, folder):
    """The overview on a 390x844 phone (2x) and the labels PDF's first page."""
    os.makedirs(folder, exist_ok=True)
    browser.viewport(390, 844, 2)
    browser.goto(base + "/console")
    shot = browser.call("Page.captureScreenshot", {"format": "png"}, page=True)["data"]
    with open(os.path.join(folder, "console-overview.png"), "wb") as f:
        f.write(base64.b64decode(shot))
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", pdf,
                    os.path.join(folder, "console-labels-page1")], check=True)


def run(binary, folder, workdir, started):
    """Every check, in order; returns the summary line."""
    server = browser = None
    try:
        server, base = start_server(binary, workdir)
        orders, cancelled = seed(base)
        expected = {n: v for n, v in orders.items() if n not in cancelled}
        reply = say(base, "u-admin", "u-admin", "控制台", private=True)
        link = re.search(r"http://\S+/console/login\?t=[0-9a-f]{64}", reply)
        if not check(link, "login", f"no login link in the reply {reply!r}"):
            return "no login link"
        browser = Browser(os.path.join(workdir, "profile"))
        browser.viewport(360, 740)
        login(browser, base, link.group(0))
        overview(browser)
        for path, h1 in PAGES:
            page_ok(browser, path, h1, browser.goto(base + path))
        labels = labels_pages(browser, base, expected)
        pdf, pdf_pages = pdf_checks(browser, base, expected, cancelled, workdir)
        if folder:
            screenshots(browser, base, pdf, folder)
        hostile(browser, base, link.group(0))
        per = ", ".join(f"{b}号楼 {sum(1 for x in labels if x[1] == b)}" for b in ("3", "5", "12"))
        return (f"{len(PAGES)} pages loaded at 360 px (status, title, h1, overflow, console/CSP "
                f"errors); {len(labels)} labels ({per}; {len(cancelled)} cancelled order left "
                f"out) on {pdf_pages} PDF pages, {math.ceil(len(labels) / 24)} expected; hostile: "
                f"used link, no cookie x2, forged CSRF (+ a real form as control); "
                f"{time.time() - started:.1f} s")
    finally:
        if browser:
            browser.close()
        if server:
            server.kill()
            server.wait()


def main():
    parser = argparse.ArgumentParser(description="The committee console in headless Chromium.")
    parser.add_argument("--binary", required=True, help="the loudong server binary")
    parser.add_argument("--screenshots", metavar="DIR", help="save two PNGs here")
    args = parser.parse_args()
    for tool, package in (("chromium", "chromium"), ("pdftotext", "poppler-utils")):
        if not shutil.which(tool):
            print(f"SKIP: {tool} not found (apt install {package})")
            return 77
    started, workdir = time.time(), tempfile.mkdtemp(prefix="console-browser-")
    try:
        summary = run(os.path.abspath(args.binary), args.screenshots, workdir, started)
        print("checked:", summary)
    except Exception as e:  # a timeout, a dead browser or server: a failure, not a traceback
        check(False, "run", f"{type(e).__name__}: {e}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"{len(FAILS)} check(s) failed" if FAILS else "PASS")
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
