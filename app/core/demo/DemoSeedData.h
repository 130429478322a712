#pragma once

#include <QJsonArray>

// What the Demo API's resources hold when it starts: accounts, trades and customers modelled on
// the seed APIs (the trades and customers then change with the calls made, for the server's life).
class DemoSeedData
{
public:
    static QJsonArray accounts();
    static QJsonArray trades();
    static QJsonArray customers();
};
