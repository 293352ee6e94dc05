$version: "3.0"
namespace a.b

string S
