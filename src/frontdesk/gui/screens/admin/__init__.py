"""The tabs of the 设置 screen: community, users, audit log, system."""
