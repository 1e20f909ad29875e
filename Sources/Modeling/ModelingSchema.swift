import Core

extension ModuleSchema {
    /// The Modeling module's tables: model fits, the published summaries and predictions
    /// (`Sources/Modeling/SQL/schema`). They replace project migrations 0003, 0004 and 0010.
    public static let modeling = ModuleSchema(module: "Modeling", files: ModelingSQL.files)
}
