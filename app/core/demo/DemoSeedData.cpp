#include "demo/DemoSeedData.h"

#include <QJsonObject>

using namespace Qt::StringLiterals;

QJsonArray DemoSeedData::accounts()
{
    return {
        QJsonObject{{u"id"_s, u"acc-1001"_s}, {u"name"_s, u"Main trading account"_s},
                    {u"type"_s, u"trading"_s}, {u"asset"_s, u"USD"_s},
                    {u"balance"_s, u"125000.00"_s}, {u"state"_s, u"created"_s}},
        QJsonObject{{u"id"_s, u"acc-1002"_s}, {u"name"_s, u"Bitcoin wallet"_s},
                    {u"type"_s, u"trading"_s}, {u"asset"_s, u"BTC"_s},
                    {u"balance"_s, u"1.52340000"_s}, {u"state"_s, u"created"_s}},
        QJsonObject{{u"id"_s, u"acc-1003"_s}, {u"name"_s, u"Fee account"_s},
                    {u"type"_s, u"fee"_s}, {u"asset"_s, u"USD"_s},
                    {u"balance"_s, u"310.25"_s}, {u"state"_s, u"created"_s}},
    };
}

QJsonArray DemoSeedData::trades()
{
    return {
        QJsonObject{{u"id"_s, u"trd-5001"_s}, {u"account_id"_s, u"acc-1001"_s},
                    {u"symbol"_s, u"BTC-USD"_s}, {u"side"_s, u"buy"_s},
                    {u"quantity"_s, u"0.25"_s}, {u"price"_s, u"64210.00"_s},
                    {u"state"_s, u"settled"_s}, {u"created_at"_s, u"2024-05-02T09:14:00Z"_s}},
        QJsonObject{{u"id"_s, u"trd-5002"_s}, {u"account_id"_s, u"acc-1002"_s},
                    {u"symbol"_s, u"BTC-USD"_s}, {u"side"_s, u"sell"_s},
                    {u"quantity"_s, u"0.10"_s}, {u"price"_s, u"65020.50"_s},
                    {u"state"_s, u"settled"_s}, {u"created_at"_s, u"2024-05-03T16:40:12Z"_s}},
    };
}

QJsonArray DemoSeedData::customers()
{
    return {
        QJsonObject{{u"id"_s, u"cus-2001"_s}, {u"name"_s, u"Ada Lovelace"_s},
                    {u"email"_s, u"ada@example.invalid"_s}, {u"state"_s, u"verified"_s}},
        QJsonObject{{u"id"_s, u"cus-2002"_s}, {u"name"_s, u"Alan Turing"_s},
                    {u"email"_s, u"alan@example.invalid"_s}, {u"state"_s, u"verified"_s}},
        QJsonObject{{u"id"_s, u"cus-2003"_s}, {u"name"_s, u"Grace Hopper"_s},
                    {u"email"_s, u"grace@example.invalid"_s}, {u"state"_s, u"unverified"_s}},
    };
}
