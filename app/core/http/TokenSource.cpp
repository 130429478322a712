#include "http/TokenSource.h"

TokenSource::TokenSource(QObject *parent)
    : QObject(parent)
{
}

TokenSource::~TokenSource() = default;

const KnownSecrets &TokenSource::knownSecrets() const
{
    static const KnownSecrets none;
    return none;
}


QByteArray TokenSource::clientKey() const
{
    return {};
}

void TokenSource::cancelTokenRequests()
{
}
