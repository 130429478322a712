#pragma once

// Keeps secrets that live in this process's memory out of core dumps and away from other
// processes of the same user (ptrace, /proc/<pid>/mem). Called first thing in main().
class ProcessHardening
{
public:
    static void apply();
};
