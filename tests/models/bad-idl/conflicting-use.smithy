$version: "2.0"
namespace a.b

use x.y#Thing
use z.w#Thing

string S
