//! The demo: the seed report as 苏州市 2020 with departments, users, assignments and a progress
//! history, through the store's API only.
