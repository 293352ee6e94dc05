$version: "2.0"
namespace a.b

/// Docs.
@documentation("More docs.")
string S
