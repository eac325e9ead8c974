/// The text of a static string as a `String` (Embedded Swift has no `String(describing:)`).
@usableFromInline
func string(_ text: StaticString) -> String {
    text.withUTF8Buffer { String(decoding: $0, as: UTF8.self) }
}
