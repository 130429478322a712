#include "http/TokenSource.h"

TokenSource::TokenSource(QObject *parent)
    : QObject(parent)
{
}

TokenSource::~TokenSource() = default;

