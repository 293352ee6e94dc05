$version: "2.0"
namespace a.b

@documentation("never closed)
string S
