$version: "2.0"
namespace a.b

strukture S {}
