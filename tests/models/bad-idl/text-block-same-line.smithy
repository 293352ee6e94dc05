$version: "2.0"
namespace a.b

@documentation("""text on the opening line""")
string S
