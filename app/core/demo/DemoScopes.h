#pragma once

#include <QList>
#include <QString>

// The Demo API's scope catalog, modelled on the seed APIs: resource:action scopes with
// read / write / execute levels and an on-behalf-of scope.
struct DemoScope
{
    QString name;
    QString description;
};

class DemoScopes
{
public:
    static const QList<DemoScope> &all();
    static bool contains(const QString &name);
};
