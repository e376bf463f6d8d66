/*
 * fabtwin-ns3-tests: runs fabtwin's ns-3 TestSuites (every test/*-test-suite.cc).
 *
 *   fabtwin-ns3-tests --list                       names of all suites (ns-3's too)
 *   fabtwin-ns3-tests --suite=fabtwin-flow-tag     one suite; exit status 0 when it passes
 *
 * Same options as ns-3's test-runner (TestRunner::Run). tests/ns3/test_cpp_suites.py runs each
 * fabtwin-* suite from pytest.
 */

#include "ns3/test.h"

int
main(int argc, char* argv[])
{
    return ns3::TestRunner::Run(argc, argv);
}
