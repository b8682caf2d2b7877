#include <doctest/doctest.h>
import io;
