$version: "2.0"
namespace a.b

string S

use x.y#Z
