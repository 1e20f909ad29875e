import Foundation

/// Which system user runs the server: PostgreSQL refuses to run as root, so under root clv runs
/// it as the `postgres` system user (created by every PostgreSQL server package).
enum ServerUser {
    case same
    case other(String)

    static var current: ServerUser {
        geteuid() == 0 ? .other("postgres") : .same
    }

    /// The user to switch to, or nil to run as ourselves.
    var runAs: String? {
        switch self {
        case .same: return nil
        case .other(let name):
            return name
        }
    }

    /// Fails with what to do when clv runs as root and no `postgres` user exists.
    static func check() throws {
        if case .other(let name) = current, getpwnam(name) == nil {
            throw LocalPostgresError(
                """
                PostgreSQL will not run as root and there is no '\(name)' system user to run it as: \
                install the server package (apt-get install postgresql creates it), create the user \
                (useradd --system --home /var/lib/postgresql \(name)), run clv as a normal user, or \
                set DATABASE_URL.
                """)
        }
    }
}
