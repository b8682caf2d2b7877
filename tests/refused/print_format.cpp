// Must not compile: io::print checks its format string against the arguments at compile time, as
// std::format does ({fmt}'s check where the standard library has no <format>).
import io;

int main() {
  io::memory_stream out;
  io::print(out, "{:d}", "not a number");
}
