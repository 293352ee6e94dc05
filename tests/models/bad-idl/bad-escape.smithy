$version: "2.0"
namespace a.b

@documentation("bad \q escape")
string S
