"""The lockstep bridge between the twin and fabtwin-ns3: protocol, messages, child process."""
