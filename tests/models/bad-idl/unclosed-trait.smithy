$version: "2.0"
namespace a.b

@length(min: 1
string S
