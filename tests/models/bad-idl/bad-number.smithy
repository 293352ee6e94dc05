$version: "2.0"
namespace a.b

@range(min: 01)
integer I
