import Core
import Foundation

/// Column layouts of the contact-import files email tools expect.
///
/// - `mailchimp`: `Email Address, First Name, Last Name`, then each attribute as an upper-case
///   merge tag (`CLV_DECILE`);
/// - `klaviyo`: `Email, First Name, Last Name`, then attributes as custom properties by name;
/// - `braze`: `external_id, email, first_name, last_name`, then attributes as custom attributes;
/// - `eloqua`: `Email Address, First Name, Last Name`, then attributes by name;
/// - `csv`: `action, email, customer_id`, then attributes; `ndjson`: one object per line with the
///   same fields.
///
/// ESP files carry additions and changes only; removals go to separate `…-removals-…` files of
/// the same layout, meant for "remove from list/segment" (archive), never for unsubscribe. The
/// generic formats say `add`, `update` or `remove` in the `action` field.
public enum FileLayout {
    /// A file format: an ESP's contact import, or generic CSV / NDJSON.
    public enum Format: String, Sendable, CaseIterable {
        case mailchimp, klaviyo, braze, eloqua, csv, ndjson

        /// Whether removals go to their own files (ESP imports have no action column).
        public var separatesRemovals: Bool { self != .csv && self != .ndjson }
        public var fileExtension: String { self == .ndjson ? "ndjson" : "csv" }
    }

    /// One member as exported.
    public struct Member: Sendable {
        public var action: String
        /// The normalised email, or its SHA-256 for destinations that want hashed identifiers.
        public var identity: String
        public var customerID: String?
        /// Attribute values as JSON text, in the audience's attribute order.
        public var jsons: [String]
    }

    /// The header line for `format` with `attributes` (nil for NDJSON). With `hashed`, the
    /// identity column is named for what it holds (`email_sha256`, `Email Address SHA256`…).
    public static func header(_ format: Format, attributes: [String], hashed: Bool = false) -> String? {
        let extras = attributes.filter { $0 != "first_name" && $0 != "last_name" }
        let columns: [String]
        switch format {
        case .mailchimp: columns = ["Email Address", "First Name", "Last Name"] + extras.map { $0.uppercased() }
        case .klaviyo: columns = ["Email", "First Name", "Last Name"] + extras
        case .braze: columns = ["external_id", "email", "first_name", "last_name"] + extras
        case .eloqua: columns = ["Email Address", "First Name", "Last Name"] + extras
        case .csv: columns = ["action", "email", "customer_id"] + attributes
        case .ndjson: return nil
        }
        var named = columns
        if hashed {
            let identityColumn = format == .braze ? 1 : (format == .csv ? 1 : 0)
            named[identityColumn] += format == .braze || format == .csv ? "_sha256" : " SHA256"
        }
        return CSVText.line(named)
    }

    /// The SQL expressions of a CSV layout's fields, in the header's order, for `COPY … (format csv)`:
    /// PostgreSQL writes the lines, quoting a field that holds a comma, a quote or a line break
    /// (RFC 4180, as ``CSVText``); an empty value is NULL, so it is written unquoted. nil for
    /// NDJSON. `identity`, `customerID` and `action` are expressions; `attribute(name)` reads an
    /// attribute as text (a layout's first or last name the audience lacks is empty).
    static func sqlFields(
        _ format: Format, attributes: [String], identity: String, customerID: String, action: String,
        attribute: (String) -> String
    ) -> [String]? {
        func text(_ name: String) -> String { attributes.contains(name) ? attribute(name) : "null" }
        let extras = attributes.filter { $0 != "first_name" && $0 != "last_name" }
        let fields: [String]
        switch format {
        case .mailchimp, .klaviyo, .eloqua:
            fields = [identity, text("first_name"), text("last_name")] + extras.map(text)
        case .braze: fields = [customerID, identity, text("first_name"), text("last_name")] + extras.map(text)
        case .csv: fields = [action, identity, customerID] + attributes.map(text)
        case .ndjson: return nil
        }
        return fields.map { "nullif(\($0), '')" }
    }

    /// One NDJSON line for `member`: its action, identity (`email`, or `email_sha256` when
    /// `hashed`), customer id and attributes.
    public static func ndjsonLine(_ member: Member, attributes: [String], hashed: Bool = false) -> String {
        var object =
            "{\"action\":\(JSONText.quoted(member.action)),\"\(hashed ? "email_sha256" : "email")\":\(JSONText.quoted(member.identity)),\"customer_id\":\(member.customerID.map(JSONText.quoted) ?? "null")"
        for (name, json) in zip(attributes, member.jsons) { object += ",\(JSONText.quoted(name)):\(json)" }
        return object + "}\n"
    }
}
