import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import KernelCore

/// The system file: an XML description in the style of Microkit's `.system` files, the
/// format seL4 developers already read. Example:
///
///     <system>
///       <endpoint name="tutorial_ep"/>
///       <protection_domain name="server" priority="100">
///         <program path="server.c"/>
///         <cap name="endpoint" slot="1" object="tutorial_ep" rights="all"/>
///         <cnode_cap name="cnode" slot="2"/>
///         <empty name="free_slot" slot="3"/>
///       </protection_domain>
///     </system>
///
/// Elements: `endpoint`, `notification` (name); `protection_domain` (name, priority,
/// cnode_size_bits) containing `program` (path, or swift), `define` (name, value), `cap`
/// (name, slot, object, rights, badge), `cnode_cap` (name, slot), `tcb_cap` (name, slot,
/// pd), `empty` (name, slot). Rights are `all`, `none`, or a list of read, write, grant,
/// grant_reply (or the letters R W G P).
public enum SystemFile {
    public static func parse(contentsOf path: String) throws(SystemDescription.Problem) -> SystemDescription {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SystemDescription.Problem(message: "cannot read the system file", line: nil, path: path)
        }
        var description = try parse(data, path: path)
        // Sources are relative to the system file's directory.
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        for i in description.domains.indices {
            if case .c(let sources, let defines) = description.domains[i].program {
                let resolved = sources.map { $0.hasPrefix("/") ? $0 : directory.appendingPathComponent($0).path }
                description.domains[i].program = .c(sources: resolved, defines: defines)
            }
        }
        return description
    }

    public static func parse(_ data: Data, path: String? = nil) throws(SystemDescription.Problem) -> SystemDescription {
        let delegate = Reader(path: path)
        // Streamed: libxml2 (under Foundation's XMLParser) refuses a document given whole once
        // it passes 10,000,000 bytes, but parses any size fed in chunks.
        let parser = XMLParser(stream: InputStream(data: data))
        parser.delegate = delegate
        let ok = parser.parse()
        if let problem = delegate.problem { throw problem }
        if !ok {
            let message = parser.parserError.map { "malformed XML (\($0.localizedDescription))" } ?? "malformed XML"
            throw SystemDescription.Problem(message: message, line: parser.lineNumber, path: path)
        }
        if !delegate.sawSystem {
            throw SystemDescription.Problem(message: "the root element must be <system>", line: 1, path: path)
        }
        return delegate.system
    }

    /// Parses a rights attribute.
    static func rights(_ text: String) -> CapRights? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if trimmed == "all" { return .all }
        if trimmed == "none" || trimmed.isEmpty { return CapRights.none }
        var rights = CapRights.none
        let words = trimmed.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "|" })
        if words.count == 1, let letters = words.first, letters.allSatisfy({ "rwgp".contains($0) }) {
            for letter in letters {
                switch letter {
                case "r": rights.insert(.read)
                case "w": rights.insert(.write)
                case "g": rights.insert(.grant)
                default: rights.insert(.grantReply)
                }
            }
            return rights
        }
        for word in words {
            switch word {
            case "read": rights.insert(.read)
            case "write": rights.insert(.write)
            case "grant": rights.insert(.grant)
            case "grant_reply", "grantreply": rights.insert(.grantReply)
            default: return nil
            }
        }
        return rights
    }

    private final class Reader: NSObject, XMLParserDelegate {
        var system = SystemDescription()
        var problem: SystemDescription.Problem?
        var sawSystem = false
        var stack: [String] = []
        var current: SystemDescription.ProtectionDomain?
        var sources: [String] = []
        var defines: [String] = []
        var swiftProgram: String?
        let path: String?

        init(path: String?) {
            self.path = path
            system.path = path
        }

        func fail(_ parser: XMLParser, _ message: String) {
            if problem == nil { problem = SystemDescription.Problem(message: message, line: parser.lineNumber, path: path) }
            parser.abortParsing()
        }

        func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            let line = parser.lineNumber
            let parent = stack.last
            stack.append(element)
            func allowed(_ names: Set<String>) -> Bool {
                if let unknown = attributes.keys.sorted().first(where: { !names.contains($0) }) {
                    fail(parser, "<\(element)> has no attribute '\(unknown)' (allowed: \(names.sorted().joined(separator: ", ")))")
                    return false
                }
                return true
            }
            func required(_ name: String) -> String? {
                guard let value = attributes[name], !value.isEmpty else {
                    fail(parser, "<\(element)> needs a '\(name)' attribute")
                    return nil
                }
                return value
            }
            func number(_ name: String, default value: Int? = nil) -> Int? {
                guard let text = attributes[name] else {
                    if value == nil { fail(parser, "<\(element)> needs a '\(name)' attribute") }
                    return value
                }
                let parsed = text.hasPrefix("0x") ? Int(text.dropFirst(2), radix: 16) : Int(text)
                guard let parsed, parsed >= 0 else {
                    // Digits that do not fit are a number, only too large for any slot,
                    // priority or size (issue 15, item 10).
                    let digits = text.hasPrefix("0x") ? text.dropFirst(2) : Substring(text)
                    if !digits.isEmpty, digits.allSatisfy({ text.hasPrefix("0x") ? $0.isHexDigit : $0.isNumber }) {
                        fail(parser, "<\(element)> attribute '\(name)' is too large: '\(text)' is above \(Int.max)"
                             + (name == "slot" ? "; a slot is 1 to 2^cnode_size_bits - 1 of its protection domain" : ""))
                    } else {
                        fail(parser, "<\(element)> attribute '\(name)' must be a non-negative number, not '\(text)'")
                    }
                    return nil
                }
                return parsed
            }
            func word(_ name: String) -> Word? {
                guard let text = attributes[name] else { return 0 }
                let parsed = text.hasPrefix("0x") ? Word(text.dropFirst(2), radix: 16) : Word(text)
                if parsed == nil { fail(parser, "<\(element)> attribute '\(name)' must be a number, not '\(text)'") }
                return parsed
            }

            switch (parent, element) {
            case (nil, "system"):
                sawSystem = true
                _ = allowed([])
            case ("system", "endpoint"), ("system", "notification"):
                guard allowed(["name"]), let name = required("name") else { return }
                system.objects.append(.init(name: name, kind: element == "endpoint" ? .endpoint : .notification, line: line))
            case ("system", "memory_region"):
                guard allowed(["name", "size"]), let name = required("name"), let size = word("size") else { return }
                system.memoryRegions.append(.init(name: name, size: size, line: line))
            case ("protection_domain", "map"):
                guard allowed(["mr", "vaddr", "perms", "setvar_vaddr", "cached"]), let region = required("mr"),
                      let vaddr = word("vaddr") else { return }
                let perms = attributes["perms"] ?? "rw"
                guard !perms.isEmpty, perms.allSatisfy({ "rwx".contains($0) }) else {
                    fail(parser, "<map> perms '\(perms)' are not a combination of r, w and x")
                    return
                }
                var rights: CapRights = []
                if perms.contains("r") { rights.insert(.read) }
                if perms.contains("w") { rights.insert(.write) }
                current?.mappings.append(.init(region: region, vaddr: vaddr, rights: rights,
                                               variable: attributes["setvar_vaddr"], line: line))
            case ("system", "protection_domain"):
                guard allowed(["name", "priority", "cnode_size_bits"]), let name = required("name"),
                      let priority = number("priority", default: 100),
                      let bits = number("cnode_size_bits", default: 8) else { return }
                current = SystemDescription.ProtectionDomain(name: name, priority: priority, cnodeSizeBits: bits, program: nil, line: line)
                sources = []
                defines = []
                swiftProgram = nil
            case ("protection_domain", "program"):
                guard allowed(["path", "swift"]) else { return }
                if let path = attributes["path"] {
                    sources.append(path)
                } else if let swift = attributes["swift"] {
                    swiftProgram = swift
                } else {
                    fail(parser, "<program> needs a 'path' (C source) or a 'swift' (registered Swift program) attribute")
                }
            case ("protection_domain", "define"):
                guard allowed(["name", "value"]), let name = required("name") else { return }
                defines.append(attributes["value"].map { "\(name)=\($0)" } ?? name)
            case ("protection_domain", "cap"):
                guard allowed(["name", "slot", "object", "rights", "badge"]), let name = required("name"),
                      let slot = number("slot"), let object = required("object"), let badge = word("badge") else { return }
                guard let rights = SystemFile.rights(attributes["rights"] ?? "all") else {
                    fail(parser, "<cap> rights '\(attributes["rights"] ?? "")' are not all, none, or a list of read, write, grant, grant_reply")
                    return
                }
                current?.caps.append(.init(name: name, slot: Word(slot), kind: .object(object, rights: rights, badge: badge), line: line))
            case ("protection_domain", "cnode_cap"):
                guard allowed(["name", "slot"]), let name = required("name"), let slot = number("slot") else { return }
                current?.caps.append(.init(name: name, slot: Word(slot), kind: .ownCNode, line: line))
            case ("protection_domain", "tcb_cap"):
                guard allowed(["name", "slot", "pd"]), let name = required("name"), let slot = number("slot"),
                      let domain = required("pd") else { return }
                current?.caps.append(.init(name: name, slot: Word(slot), kind: .thread(domain: domain), line: line))
            case ("protection_domain", "empty"):
                guard allowed(["name", "slot"]), let name = required("name"), let slot = number("slot") else { return }
                current?.caps.append(.init(name: name, slot: Word(slot), kind: .empty, line: line))
            default:
                let place = parent.map { "inside <\($0)>" } ?? "at the top level"
                fail(parser, "unexpected element <\(element)> \(place)")
            }
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
            // Foundation's codes for libxml2's errors are not reliable names; the place is.
            fail(parser, "malformed XML near column \(parser.columnNumber) (an unclosed or mismatched element, or a bad attribute)")
        }

        func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
            stack.removeLast()
            if element == "protection_domain", var domain = current {
                if swiftProgram != nil, !sources.isEmpty {
                    fail(parser, "protection_domain '\(domain.name)' has both C sources and a Swift program")
                    return
                }
                if let swiftProgram { domain.program = .swift(swiftProgram) }
                else if !sources.isEmpty { domain.program = .c(sources: sources, defines: defines) }
                system.domains.append(domain)
                current = nil
            }
        }
    }
}
