#include "http/RequestDraft.h"

const RequestDraft::InjectionSwitch *RequestDraft::switchFor(const QString &headerName) const
{
    for (const auto &entry : injectionSwitches) {
        if (entry.headerName.compare(headerName, Qt::CaseInsensitive) == 0)
            return &entry;
    }
    return nullptr;
}
