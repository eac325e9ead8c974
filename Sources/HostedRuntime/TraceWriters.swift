import Foundation
import KernelCore

/// Output formats of a recorded trace.
extension TraceRecorder {
    /// The text a message arrow carries: the badge and label, then the words, as characters
    /// when they are all printable (the tutorial sends one character per register).
    func messageText(badge: Word, label: Word, extraCaps: Word, capsUnwrapped: Word, words: [Word], length: Word) -> String {
        var parts: [String] = []
        if badge != 0 { parts.append("badge \(badge)") }
        parts.append("label \(label)")
        if extraCaps > 0 { parts.append(capsUnwrapped != 0 ? "\(extraCaps) caps (unwrapped 0b\(String(capsUnwrapped, radix: 2)))" : "\(extraCaps) cap\(extraCaps == 1 ? "" : "s")") }
        if !words.isEmpty {
            if words.allSatisfy({ (32...126).contains($0) && $0 != 34 }) && length <= 16 {
                parts.append("\"" + String(words.map { Character(UnicodeScalar(UInt8($0))) }) + "\"")
            } else {
                let shown = words.prefix(4).map { $0 < 10 ? "\($0)" : "0x" + String($0, radix: 16) }
                parts.append("[" + shown.joined(separator: ", ") + (length > 4 ? ", …" : "") + "]")
            }
        }
        return parts.joined(separator: ", ")
    }

    // MARK: Mermaid

    /// A Mermaid sequence diagram: participants are threads; messages solid, replies dashed,
    /// signals open arrows, faults crossed.
    public func mermaid() -> String {
        var lines = ["sequenceDiagram"]
        let participants = threads
        func alias(_ t: Word) -> String { "t\(participants.firstIndex(of: t)! + 1)" }
        for t in participants { lines.append("    participant \(alias(t)) as \(name(of: t))") }
        for event in events {
            switch event.kind {
            case .delivered(let s, let r, let badge, let label, let length, let extraCaps, let unwrapped, let isReply, let isFault, let words):
                let text = messageText(badge: badge, label: label, extraCaps: extraCaps, capsUnwrapped: unwrapped, words: words, length: length)
                if isFault {
                    lines.append("    \(alias(s))-x\(alias(r)): fault \(text)")
                } else if isReply {
                    lines.append("    \(alias(s))-->>\(alias(r)): reply \(text)")
                } else {
                    lines.append("    \(alias(s))->>\(alias(r)): \(text)")
                }
            case .woken(let t, _, .signalled, let by?, let badge):
                lines.append("    \(alias(by))-)\(alias(t)): signal badge \(badge)")
            case .faulted(let t, let description, let handled) where !handled:
                lines.append("    Note over \(alias(t)): fault with no handler: \(description)")
            case .stopped(let t):
                lines.append("    Note over \(alias(t)): stopped")
            case .end(let how):
                if let first = participants.first, let last = participants.last {
                    lines.append("    Note over \(alias(first)),\(alias(last)): \(how)")
                }
            default:
                break
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: Chrome trace-event JSON

    /// The trace as Chrome trace-event JSON (Perfetto, chrome://tracing): a track per thread,
    /// a slice per system call and per blocked interval, flow arrows from each send to the
    /// receive it completes.
    public func chromeTrace() -> Data {
        var out: [[String: Any]] = []
        let participants = threads
        func tid(_ t: Word) -> Int { (participants.firstIndex(of: t) ?? 0) + 1 }
        func us(_ ns: UInt64) -> Double { Double(ns) / 1000 }
        out.append(["ph": "M", "name": "process_name", "pid": 1, "args": ["name": "SwiftL4"]])
        for t in participants {
            out.append(["ph": "M", "name": "thread_name", "pid": 1, "tid": tid(t), "args": ["name": name(of: t)]])
        }
        var openSyscall: [Word: (time: UInt64, name: String, args: [String: Any])] = [:]
        var openBlocked: [Word: (time: UInt64, name: String)] = [:]
        var flow = 0
        var lastTime: UInt64 = 0
        for event in events {
            lastTime = event.time
            switch event.kind {
            case .syscall(let t, let number, let cptr, let label, let length, let extraCaps):
                openSyscall[t] = (event.time, syscallName(number),
                                  ["cptr": cptr, "label": label, "length": length, "extraCaps": extraCaps])
            case .syscallExit(let t, let result):
                if var open = openSyscall.removeValue(forKey: t) {
                    open.args["returned"] = result.map { "label \($0.label), length \($0.length)" } ?? "blocked"
                    out.append(["ph": "X", "cat": "syscall", "name": open.name, "pid": 1, "tid": tid(t),
                                "ts": us(open.time), "dur": max(us(event.time - open.time), 0.5), "args": open.args])
                }
            case .path(let t, _, let fast, let failed):
                out.append(["ph": "i", "s": "t", "cat": "path", "name": fast ? "fastpath" : "slowpath (condition \(failed))",
                            "pid": 1, "tid": tid(t), "ts": us(event.time)])
            case .blocked(let t, let object, let state):
                let stateName = "\(state.name)"
                let hex = "0x\(String(object, radix: 16))"
                openBlocked[t] = (event.time, object == 0 ? stateName
                                  : "\(stateName) " + (objectNames[object].map { "'\($0)' (\(hex))" } ?? hex))
            case .woken(let t, _, let reason, _, _):
                if let open = openBlocked.removeValue(forKey: t) {
                    out.append(["ph": "X", "cat": "blocked", "name": open.name, "pid": 1, "tid": tid(t),
                                "ts": us(open.time), "dur": max(us(event.time - open.time), 0.5), "args": ["woken": "\(reason)"]])
                }
            case .delivered(let s, let r, let badge, let label, let length, let extraCaps, let unwrapped, let isReply, let isFault, let words):
                flow += 1
                let text = messageText(badge: badge, label: label, extraCaps: extraCaps, capsUnwrapped: unwrapped, words: words, length: length)
                let kind = isFault ? "fault" : isReply ? "reply" : "message"
                out.append(["ph": "s", "cat": "ipc", "name": kind, "id": flow, "pid": 1, "tid": tid(s), "ts": us(event.time), "bp": "e"])
                out.append(["ph": "f", "cat": "ipc", "name": kind, "id": flow, "pid": 1, "tid": tid(r), "ts": us(event.time), "bp": "e"])
                out.append(["ph": "i", "s": "t", "cat": "ipc", "name": "\(kind): \(text)", "pid": 1, "tid": tid(r), "ts": us(event.time),
                            "args": ["from": name(of: s), "badge": badge, "label": label, "length": length, "words": words]])
            case .faulted(let t, let description, let handled):
                out.append(["ph": "i", "s": "t", "cat": "fault", "name": handled ? "fault: \(description)" : "fault, no handler: \(description)",
                            "pid": 1, "tid": tid(t), "ts": us(event.time)])
            case .stopped(let t):
                out.append(["ph": "i", "s": "t", "cat": "thread", "name": "stopped", "pid": 1, "tid": tid(t), "ts": us(event.time)])
            case .started(let t, let entry):
                out.append(["ph": "i", "s": "t", "cat": "thread", "name": "started at 0x\(String(entry, radix: 16))",
                            "pid": 1, "tid": tid(t), "ts": us(event.time)])
            case .end(let how):
                out.append(["ph": "i", "s": "g", "cat": "run", "name": how, "pid": 1, "tid": 0, "ts": us(event.time)])
            case .replyCapCreated, .replyCapDeleted, .switched:
                break
            }
        }
        // Intervals still open when the run ended (a deadlock, for instance) end there.
        for (t, open) in openBlocked {
            out.append(["ph": "X", "cat": "blocked", "name": open.name + " (still blocked at the end)", "pid": 1, "tid": tid(t),
                        "ts": us(open.time), "dur": max(us(lastTime - open.time), 0.5)])
        }
        for (t, open) in openSyscall {
            out.append(["ph": "X", "cat": "syscall", "name": open.name + " (unfinished)", "pid": 1, "tid": tid(t),
                        "ts": us(open.time), "dur": max(us(lastTime - open.time), 0.5), "args": open.args])
        }
        let object: [String: Any] = ["traceEvents": out, "displayTimeUnit": "ns"]
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    }

    // MARK: HTML

    /// One self-contained HTML page (no network) that draws the timeline and the message
    /// arrows with SVG, with details on hover.
    public func html(title: String) -> String {
        let trace = String(decoding: chromeTrace(), as: UTF8.self)
        return Self.htmlTemplate
            .replacingOccurrences(of: "@TITLE@", with: title.replacingOccurrences(of: "<", with: "&lt;"))
            .replacingOccurrences(of: "@TRACE@", with: trace.replacingOccurrences(of: "</", with: "<\\/"))
    }

    static let htmlTemplate = """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <title>SwiftL4 trace: @TITLE@</title>
    <style>
      body { font: 13px -apple-system, system-ui, sans-serif; margin: 16px; color: #222; }
      h1 { font-size: 16px; }
      .lane-label { font-weight: 600; }
      .syscall { fill: #4a90d9; }
      .blocked { fill: #f0c36d; opacity: 0.6; }
      .message { stroke: #2e7d32; stroke-width: 1.5; marker-end: url(#arrow); }
      .reply { stroke: #6a1b9a; stroke-width: 1.5; stroke-dasharray: 4 3; marker-end: url(#arrow); }
      .fault { stroke: #c62828; stroke-width: 1.5; marker-end: url(#arrow); }
      .end { stroke: #333; stroke-width: 2; stroke-dasharray: 2 2; }
      .gap { stroke: #999; stroke-width: 1; stroke-dasharray: 1 3; }
      .hit { stroke: transparent; stroke-width: 9; cursor: pointer; }
      rect { cursor: pointer; }
      #legend span { margin-right: 16px; }
      #details { background: #f6f6f6; padding: 8px; min-height: 3em; white-space: pre-wrap; }
    </style>
    </head>
    <body>
    <h1>SwiftL4 trace: @TITLE@</h1>
    <div id="legend"><span style="color:#4a90d9">■ system call</span><span style="color:#d9a53a">■ blocked</span>
    <span style="color:#2e7d32">→ message</span><span style="color:#6a1b9a">⇢ reply</span><span style="color:#c62828">→ fault message</span>
    <span style="color:#333">┆ end of the run (hover it: how it ended)</span><span style="color:#999">┊ idle time, compressed</span></div>
    <p>Hover over or click an arrow or a bar for its details.</p>
    <svg id="timeline" xmlns="http://www.w3.org/2000/svg"></svg>
    <pre id="details">Click an arrow or a bar to show its details here.</pre>
    <script type="application/json" id="trace">@TRACE@</script>
    <script>
    (function () {
      const trace = JSON.parse(document.getElementById('trace').textContent).traceEvents;
      const svg = document.getElementById('timeline');
      const ns = 'http://www.w3.org/2000/svg';
      const threads = trace.filter(e => e.ph === 'M' && e.name === 'thread_name');
      const laneHeight = 44, left = 140, width = 1100;
      // The axis starts at the first kernel event, and an idle gap (loading the programs,
      // waiting on the host) counts at most four times the median gap between events, so
      // that what happened fills the width; compressed gaps are drawn as dashed breaks.
      const stamps = [...new Set(trace.filter(e => e.ts !== undefined)
        .flatMap(e => e.dur ? [e.ts, e.ts + e.dur] : [e.ts]))].sort((a, b) => a - b);
      if (stamps.length === 0) stamps.push(0);
      const gaps = stamps.slice(1).map((t, i) => t - stamps[i]);
      const positive = gaps.filter(g => g > 0).sort((a, b) => a - b);
      const cap = 4 * (positive.length ? positive[Math.floor(positive.length / 2)] : 1);
      const position = [0];
      gaps.forEach((g, i) => position.push(position[i] + Math.min(g, cap)));
      const total = position[position.length - 1] || 1;
      function scaled(t) {
        let low = 0, high = stamps.length - 1;
        while (low < high) { const mid = (low + high + 1) >> 1; if (stamps[mid] <= t) low = mid; else high = mid - 1; }
        const gap = gaps[low] || 0;
        return position[low] + (gap > 0 ? Math.min(t - stamps[low], gap) / gap * Math.min(gap, cap) : 0);
      }
      const x = t => left + (scaled(t) / total) * width;
      const y = tid => 30 + (tid - 1) * laneHeight;
      svg.setAttribute('width', left + width + 40);
      svg.setAttribute('height', 40 + threads.length * laneHeight);
      const details = document.getElementById('details');
      function el(name, attrs, title) {
        const node = document.createElementNS(ns, name);
        for (const k in attrs) node.setAttribute(k, attrs[k]);
        if (title) {
          const t = document.createElementNS(ns, 'title'); t.textContent = title; node.appendChild(t);
          node.addEventListener('click', () => { details.textContent = title; });
        }
        svg.appendChild(node);
        return node;
      }
      const laneName = tid => (threads.find(t => t.tid === tid) || {args: {name: '?'}}).args.name;
      gaps.forEach((g, i) => {
        if (g <= 8 * cap) return;
        const at = left + (position[i] + cap / 2) / total * width;
        el('line', {class: 'gap', x1: at, x2: at, y1: 24, y2: 30 + threads.length * laneHeight},
           'idle for ' + (g / 1000).toFixed(3) + ' ms, drawn as ' + (cap / 1000).toFixed(3) + ' ms');
      });
      const defs = el('defs', {});
      const marker = document.createElementNS(ns, 'marker');
      for (const [k, v] of Object.entries({id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto'})) marker.setAttribute(k, v);
      const tip = document.createElementNS(ns, 'path'); tip.setAttribute('d', 'M0,0 L10,5 L0,10 z'); marker.appendChild(tip); defs.appendChild(marker);
      for (const t of threads) {
        const g = el('g', {class: 'lane', 'data-thread': t.args.name});
        const label = document.createElementNS(ns, 'text');
        label.setAttribute('x', 4); label.setAttribute('y', y(t.tid) + 16); label.setAttribute('class', 'lane-label');
        label.textContent = t.args.name; g.appendChild(label);
        el('line', {x1: left, x2: left + width, y1: y(t.tid) + 28, y2: y(t.tid) + 28, stroke: '#ddd'});
      }
      for (const e of trace.filter(e => e.ph === 'X')) {
        const top = e.cat === 'blocked' ? y(e.tid) + 14 : y(e.tid) + 4;
        const args = e.args ? Object.entries(e.args).map(([k, v]) => k + ' ' + v).join(', ') : '';
        el('rect', {class: e.cat, x: x(e.ts), y: top, width: Math.max(2, x(e.ts + e.dur) - x(e.ts)), height: 10},
           laneName(e.tid) + ': ' + e.name + ' (' + e.dur.toFixed(3) + ' µs)' + (args ? '\\n' + args : ''));
      }
      const starts = {};
      for (const e of trace.filter(e => e.ph === 's')) starts[e.id] = e;
      const notes = trace.filter(e => e.ph === 'i' && e.cat === 'ipc');
      for (const f of trace.filter(e => e.ph === 'f')) {
        const s = starts[f.id];
        if (!s) continue;
        const note = notes.find(n => n.ts === f.ts && n.tid === f.tid);
        const a = note && note.args;
        const text = (note ? note.name : f.name) + '\\nfrom ' + laneName(s.tid) + ' to ' + laneName(f.tid)
          + (a ? '\\nbadge ' + a.badge + ', label ' + a.label + ', ' + a.length + ' words' + (a.words && a.words.length ? ': ' + a.words.join(', ') : '') : '');
        const coords = {x1: x(s.ts), y1: y(s.tid) + 20, x2: x(f.ts) + 3, y2: y(f.tid) + 20};
        el('line', Object.assign({class: f.name === 'reply' ? 'reply' : f.name === 'fault' ? 'fault' : 'message', 'data-flow': f.id}, coords), text);
        el('line', Object.assign({class: 'hit'}, coords), text);
      }
      for (const e of trace.filter(e => e.ph === 'i' && e.s === 'g')) {
        el('line', {class: 'end', x1: x(e.ts), x2: x(e.ts), y1: 20, y2: 30 + threads.length * laneHeight}, e.name);
      }
      document.body.setAttribute('data-rendered', 'true');
    })();
    </script>
    </body>
    </html>
    """
}

/// Trace outputs requested on the command line, opened before the run so that an
/// unwritable path is reported before anything runs.
public struct TraceOutputs {
    public var chrome: String?
    public var sequence: String?
    public var html: String?
    public var title: String

    public init(chrome: String?, sequence: String?, html: String?, title: String) {
        self.chrome = chrome
        self.sequence = sequence
        self.html = html
        self.title = title
    }

    public var isEmpty: Bool { chrome == nil && sequence == nil && html == nil }

    /// Checks that every path can be written (creating the files).
    public func checkWritable() throws {
        for path in [chrome, sequence, html].compactMap({ $0 }) {
            guard FileManager.default.createFile(atPath: path, contents: Data()) else {
                throw LoaderError("cannot write the trace output '\(path)'")
            }
        }
    }

    public func write(_ recorder: TraceRecorder) {
        if let chrome { try? recorder.chromeTrace().write(to: URL(fileURLWithPath: chrome)) }
        if let sequence { try? recorder.mermaid().write(toFile: sequence, atomically: false, encoding: .utf8) }
        if let html { try? recorder.html(title: title).write(toFile: html, atomically: false, encoding: .utf8) }
    }
}
